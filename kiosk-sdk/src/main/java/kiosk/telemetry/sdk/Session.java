package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One customer visit, from {@link SessionManager#start}. Moving through the funnel, tracking events and ending
 * the session queue records in the {@link EventBuffer}: the session itself once ({@code POST /api/sessions}),
 * each state change as a PATCH with the next {@code seq} and the whole state (status, funnel, behaviour), so
 * the newest PATCH the server applies is always complete, and each event with the session's next
 * {@code sequenceNo}. Thread-safe.
 */
public final class Session {

    private static final int MAX_SCREENS = 64;

    private final String sessionId;
    private final Instant startedAt;
    private final EventBuffer buffer;
    private final Clock clock;
    private final ObjectMapper json;
    private final SessionManager manager;
    private final FunnelTracker funnel = new FunnelTracker();
    private final Map<String, Long> screenDurationsMs = new LinkedHashMap<>();

    private SessionStatus status = SessionStatus.STARTED;
    private long seq;
    private long nextSequenceNo;
    private Instant endedAt;
    private String exitReason;
    private long taps;
    private long scrolls;
    private long selectionChanges;
    private String screen;
    private Instant screenSince;
    private Instant lastActivity;

    Session(SessionManager manager, EventBuffer buffer, Clock clock, ObjectMapper json, String appVersion,
            Map<String, ?> experiments) {
        this.manager = manager;
        this.buffer = buffer;
        this.clock = clock;
        this.json = json;
        this.sessionId = UUID.randomUUID().toString();
        this.startedAt = now();
        this.lastActivity = startedAt;
        ObjectNode body = json.createObjectNode().put("sessionId", sessionId).put("startedAt", startedAt.toString());
        if (appVersion != null) {
            body.put("appVersion", appVersion);
        }
        if (experiments != null && !experiments.isEmpty()) {
            body.set("experiments", json.valueToTree(experiments));
        }
        buffer.add(Delivery.Kind.SESSION_START, sessionId, startedAt, body);
        funnel.enter(FunnelStage.ATTRACT, startedAt);
    }

    public String id() {
        return sessionId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public synchronized SessionStatus status() {
        return status;
    }

    public synchronized FunnelStage stage() {
        return funnel.current();
    }

    public synchronized Instant lastActivity() {
        return lastActivity;
    }

    /** Events queued for this session so far (the next event gets this {@code sequenceNo}). */
    public synchronized long eventsTracked() {
        return nextSequenceNo;
    }

    /**
     * The customer moved to {@code stage}. The first move past {@code attract} makes the session
     * {@code in_progress}. Sends the new state.
     */
    public synchronized void enter(FunnelStage stage) {
        requireOpen();
        Instant at = touch();
        funnel.enter(stage, at);
        if (status == SessionStatus.STARTED && stage != FunnelStage.ATTRACT) {
            status = SessionStatus.IN_PROGRESS;
        }
        sendState(at);
    }

    /**
     * Queues one event with the session's next {@code sequenceNo}. Taps, scrolls, selections and screen times
     * are also counted into the session's behaviour. Returns the {@code sequenceNo}.
     *
     * @param eventType  {@code tap}, {@code scroll} (give {@code properties.scrollDepth} 0–100), {@code screen_enter}, ...
     *                   or a custom type matching {@code ^[a-z][a-z0-9_]{0,63}$}
     * @param screen     the screen it happened on, or null
     * @param properties small details (≤ 8 KiB as JSON), or null
     */
    public synchronized long track(String eventType, String screen, Map<String, ?> properties) {
        Instant at = touch();
        long sequenceNo = nextSequenceNo++;
        ObjectNode event = json.createObjectNode().put("sessionId", sessionId).put("sequenceNo", sequenceNo)
                .put("eventType", eventType).put("timestamp", at.toString());
        if (screen != null) {
            event.put("screen", screen);
        }
        if (properties != null && !properties.isEmpty()) {
            event.set("properties", json.valueToTree(properties));
        }
        count(eventType, screen, at);
        buffer.add(Delivery.Kind.EVENT, sessionId + "#" + sequenceNo, at, event);
        return sequenceNo;
    }

    private void count(String eventType, String eventScreen, Instant at) {
        switch (eventType) {
            case "tap" -> taps++;
            case "scroll" -> scrolls++;
            case "select", "deselect" -> selectionChanges++;
            case "screen_enter" -> {
                closeScreen(at);
                screen = eventScreen;
                screenSince = at;
            }
            case "screen_exit" -> closeScreen(at);
            default -> {
            }
        }
    }

    private void closeScreen(Instant at) {
        if (screen != null && screenSince != null
                && (screenDurationsMs.containsKey(screen) || screenDurationsMs.size() < MAX_SCREENS)) {
            screenDurationsMs.merge(screen, Duration.between(screenSince, at).toMillis(), Long::sum);
        }
        screen = null;
        screenSince = null;
    }

    /**
     * Ends the session with a terminal status. A session that did not complete records the stage it was in as
     * its exit stage; a completed one reaches {@code complete}. Sends the final state.
     */
    public synchronized void end(SessionStatus terminal, String reason) {
        if (!terminal.terminal()) {
            throw new IllegalArgumentException(terminal + " is not a terminal status");
        }
        requireOpen();
        Instant at = now();
        if (terminal == SessionStatus.COMPLETED) {
            funnel.enter(FunnelStage.COMPLETE, at);
        }
        closeScreen(at);
        funnel.leave(at);
        status = terminal;
        endedAt = at;
        exitReason = reason;
        sendState(at);
        manager.ended(this);
    }

    /** Ends the session as {@code timeout} if nothing happened in it for {@code idle}. */
    synchronized boolean endIfIdle(Duration idle, Instant now) {
        if (status.terminal() || Duration.between(lastActivity, now).compareTo(idle) < 0) {
            return false;
        }
        end(SessionStatus.TIMEOUT, "idle for " + idle.toSeconds() + " s");
        return true;
    }

    private void sendState(Instant at) {
        seq++;
        ObjectNode patch = json.createObjectNode().put("seq", seq).put("status", status.apiName());
        FunnelStage exitStage = status.terminal() && status != SessionStatus.COMPLETED ? funnel.current() : null;
        patch.set("funnel", funnel.toJson(json, exitStage));
        ObjectNode behavior = patch.putObject("behavior").put("totalTaps", taps).put("totalScrolls", scrolls)
                .put("selectionChanges", selectionChanges);
        ObjectNode durations = behavior.putObject("screenDurationsMs");
        screenDurationsMs.forEach(durations::put);
        if (endedAt != null) {
            patch.put("endedAt", endedAt.toString());
            if (exitReason != null) {
                patch.put("exitReason", exitReason);
            } else {
                patch.putNull("exitReason");
            }
        }
        buffer.add(Delivery.Kind.SESSION_UPDATE, sessionId, at, patch);
    }

    private void requireOpen() {
        if (status.terminal()) {
            throw new IllegalStateException("session " + sessionId + " already ended as " + status.apiName());
        }
    }

    private Instant touch() {
        lastActivity = now();
        return lastActivity;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
