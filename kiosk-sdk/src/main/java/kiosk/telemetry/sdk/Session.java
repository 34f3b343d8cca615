package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.math.BigDecimal;

/**
 * One customer visit, from {@link SessionManager#start}. Moving through the funnel, tracking events and ending
 * the session queue records in the {@link EventBuffer}: the session itself once ({@code POST /api/sessions}),
 * each state change as a PATCH with the next {@code seq} and the whole state (status, funnel, behaviour), so
 * the newest PATCH the server applies is always complete, and each event with the session's next
 * {@code sequenceNo}.
 *
 * <p>Every call returns at once and never throws: the journal write happens in the background, and a call that
 * cannot be honoured (a state change after the session ended) is reported to the listener
 * ({@link DeliveryListener#onIgnored}) and counted ({@link Health#ignoredCalls()}). The session's state (id,
 * {@code seq}, funnel, behaviour, last activity) is kept in the journal while it is open, so that the next start
 * can end it if the app dies. Thread-safe.
 */
public final class Session {

    private static final int MAX_SCREENS = 64;

    private final String sessionId;
    private final Map<String, Object> experiments;
    private final Instant startedAt;
    private final EventBuffer buffer;
    private final TimeSource time;
    private final ObjectMapper json;
    private final SessionManager manager;
    private final ErrorTracker errors;
    private final FunnelMap funnelMap;
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
    private long screenSinceNanos;
    private Instant lastActivity;
    private long lastActivityOffsetMs;
    private long lastActivityNanos;

    Session(SessionManager manager, EventBuffer buffer, TimeSource time, ObjectMapper json, ErrorTracker errors,
            FunnelMap funnelMap, String sessionId, String appVersion, Map<String, ?> experiments) {
        this.manager = manager;
        this.buffer = buffer;
        this.time = time;
        this.json = json;
        this.errors = errors;
        this.funnelMap = funnelMap;
        this.sessionId = sessionId;
        this.experiments = experiments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
        long off = time.offsetMs();
        this.startedAt = time.now();
        this.lastActivity = startedAt;
        this.lastActivityOffsetMs = off;
        this.lastActivityNanos = time.nanos();
        ObjectNode body = json.createObjectNode().put("sessionId", sessionId).put("startedAt", startedAt.toString());
        if (appVersion != null) {
            body.put("appVersion", appVersion);
        }
        if (!this.experiments.isEmpty()) {
            body.set("experiments", json.valueToTree(this.experiments));
        }
        funnel.enter(FunnelStage.ATTRACT, startedAt);
        buffer.add(Delivery.Kind.SESSION_START, sessionId, startedAt, body, off, this);
    }

    public String id() {
        return sessionId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /**
     * The session's {@code experiments} as sent with it: the SDK's assignments ({@code Builder#experiments}) and
     * the app's own entries given to {@link SessionManager#start}.
     */
    public Map<String, Object> experiments() {
        return experiments;
    }

    /** The session's variant of an experiment, or null when it takes no part in it. */
    public String variant(String experimentName) {
        Object v = experiments.get(experimentName);
        return v == null ? null : v.toString();
    }

    public synchronized SessionStatus status() {
        return status;
    }

    public synchronized FunnelStage stage() {
        return funnel.current();
    }

    /** The furthest stage reached, as a share of the funnel: 0 in {@code attract}, 1 at {@code complete}. */
    public synchronized double progress() {
        return FunnelMap.progressOf(funnel.furthest());
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
     * {@code in_progress}. Sends the new state. Ignored (and reported) once the session ended.
     */
    public synchronized void enter(FunnelStage stage) {
        if (stage == null || status.terminal()) {
            buffer.ignored("Session.enter", stage == null ? "no stage" : "session " + sessionId + " already ended as " + status.apiName());
            return;
        }
        Stamp at = touch();
        moveTo(stage, at);
    }

    private void moveTo(FunnelStage stage, Stamp at) {
        if (funnel.current() == stage) {
            return;
        }
        funnel.enter(stage, at.at());
        if (status == SessionStatus.STARTED && stage != FunnelStage.ATTRACT) {
            status = SessionStatus.IN_PROGRESS;
        }
        errors.autoBreadcrumb(at.at(), "navigation", "enter " + stage.apiName());
        sendState(at);
    }

    /**
     * The app shows {@code screenName}: a {@code screen_enter} event, and, when the SDK's {@link FunnelMap} maps the
     * screen, a move to its stage. Returns the event's {@code sequenceNo}.
     */
    public long screen(String screenName) {
        return track(EventType.SCREEN_ENTER, screenName, null);
    }

    /**
     * Queues one event with the session's next {@code sequenceNo}. Taps, scrolls, selections and screen times
     * are also counted into the session's behaviour, and the event is left as a breadcrumb for errors. Events
     * after the session ended are still sent (the server keeps them). Returns the {@code sequenceNo}, or −1 when
     * the event was ignored (no type).
     *
     * @param screen     the screen it happened on, or null
     * @param properties small details (≤ 8 KiB as JSON), or null
     */
    public synchronized long track(EventType eventType, String screen, Map<String, ?> properties) {
        if (eventType == null) {
            buffer.ignored("Session.track", "no event type");
            return -1;
        }
        Stamp at = touch();
        long sequenceNo = nextSequenceNo++;
        String type = eventType.apiName();
        ObjectNode event = json.createObjectNode().put("sessionId", sessionId).put("sequenceNo", sequenceNo)
                .put("eventType", type).put("timestamp", at.at().toString());
        if (screen != null) {
            event.put("screen", screen);
        }
        if (properties != null && !properties.isEmpty()) {
            try {
                event.set("properties", toJson(properties));
            } catch (IllegalArgumentException notJson) {
                event.put("properties", (String) null);
                buffer.ignored("Session.track", "properties not serializable: " + notJson.getMessage());
            }
        }
        count(type, screen, at);
        errors.autoBreadcrumb(at.at(), "event", screen == null ? type : type + " " + screen);
        buffer.add(Delivery.Kind.EVENT, sessionId + "#" + sequenceNo, at.at(), event, at.offsetMs(), status.terminal() ? null : this);
        if (type.equals("screen_enter") && !status.terminal()) {
            funnelMap.stageOf(screen).ifPresent(stage -> moveTo(stage, at));
        }
        return sequenceNo;
    }

    /**
     * A tap at ({@code x}, {@code y}) on a screen laid out as {@code layout}: a {@code tap} event whose properties
     * say where it landed ({@code hitResult}, {@code target}, {@code nearestTarget}, {@code distanceToTarget}, see
     * {@link Taps}). Returns the {@code sequenceNo}.
     */
    public long tap(String screen, double x, double y, Taps.Layout layout) {
        if (layout == null) {
            buffer.ignored("Session.tap", "no layout");
            return -1;
        }
        return track(EventType.TAP, screen, Taps.tapProperties(x, y, layout));
    }

    /**
     * A gesture from ({@code startX}, {@code startY}) to ({@code endX}, {@code endY}) taking {@code durationMs}: an
     * event of {@code type} (a {@code scroll}, a {@code long_press} or a custom {@code swipe}) with the positions
     * in its properties, plus the app's {@code extra} ones (a scroll's {@code scrollDepth}). Returns the
     * {@code sequenceNo}.
     */
    public long gesture(EventType type, String screen, double startX, double startY, double endX, double endY,
                        long durationMs, Map<String, ?> extra) {
        Map<String, Object> p = Taps.gestureProperties(startX, startY, endX, endY, durationMs);
        if (extra != null) {
            p.putAll(extra);
        }
        return track(type, screen, p);
    }

    /**
     * Queues one event by its type's name ({@code tap}, {@code scroll}... or a custom name matching
     * {@code ^[a-z][a-z0-9_]{0,63}$}); a name the server would refuse is ignored (−1) and reported.
     */
    public long track(String eventType, String screen, Map<String, ?> properties) {
        EventType type = EventType.parse(eventType);
        if (type == null) {
            buffer.ignored("Session.track", "event type " + eventType + " does not match ^[a-z][a-z0-9_]{0,63}$");
            return -1;
        }
        return track(type, screen, properties);
    }

    /** Plain values directly (the common case, and much cheaper than a round trip through Jackson's databind). */
    private ObjectNode toJson(Map<String, ?> properties) {
        ObjectNode o = json.createObjectNode();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            Object v = e.getValue();
            String k = String.valueOf(e.getKey());
            if (v == null) {
                o.putNull(k);
            } else if (v instanceof String str) {
                o.put(k, str);
            } else if (v instanceof Integer i) {
                o.put(k, i);
            } else if (v instanceof Long l) {
                o.put(k, l);
            } else if (v instanceof Double d) {
                o.put(k, d);
            } else if (v instanceof Boolean b) {
                o.put(k, b);
            } else if (v instanceof BigDecimal d) {
                o.put(k, d);
            } else {
                o.set(k, json.valueToTree(v));
            }
        }
        return o;
    }

    private void count(String eventType, String eventScreen, Stamp at) {
        switch (eventType) {
            case "tap" -> taps++;
            case "scroll" -> scrolls++;
            case "select", "deselect" -> selectionChanges++;
            case "screen_enter" -> {
                closeScreen();
                screen = eventScreen;
                screenSinceNanos = time.nanos();
            }
            case "screen_exit" -> closeScreen();
            default -> {
            }
        }
    }

    private void closeScreen() {
        if (screen != null && (screenDurationsMs.containsKey(screen) || screenDurationsMs.size() < MAX_SCREENS)) {
            screenDurationsMs.merge(screen, Math.max(0, (time.nanos() - screenSinceNanos) / 1_000_000), Long::sum);
        }
        screen = null;
    }

    /**
     * Ends the session with a terminal status. A session that did not complete records the stage it was in as
     * its exit stage; a completed one reaches {@code complete}. Sends the final state. Ignored (and reported)
     * when the session already ended or {@code terminal} is not terminal.
     */
    public synchronized void end(SessionStatus terminal, String reason) {
        if (terminal == null || !terminal.terminal()) {
            buffer.ignored("Session.end", terminal + " is not a terminal status");
            return;
        }
        if (status.terminal()) {
            buffer.ignored("Session.end", "session " + sessionId + " already ended as " + status.apiName());
            return;
        }
        endAt(terminal, reason, new Stamp(time.now(), time.offsetMs()));
    }

    private void endAt(SessionStatus terminal, String reason, Stamp at) {
        if (terminal == SessionStatus.COMPLETED) {
            funnel.enter(FunnelStage.COMPLETE, at.at());
        }
        closeScreen();
        funnel.leave(at.at());
        status = terminal;
        endedAt = at.at();
        exitReason = reason;
        sendState(at);
        buffer.sessionEnded(sessionId);
        manager.ended(this);
    }

    /** Ends the session as {@code timeout} if nothing happened in it for {@code idle} (by the monotonic clock). */
    synchronized boolean endIfIdle(Duration idle) {
        if (status.terminal() || time.nanos() - lastActivityNanos < idle.toNanos()) {
            return false;
        }
        endAt(SessionStatus.TIMEOUT, "idle for " + idle.toSeconds() + " s", new Stamp(time.now(), time.offsetMs()));
        return true;
    }

    /**
     * For {@code close()}: ends the session as it would be ended after a crash, at its last activity:
     * {@code timeout} when idle for {@code idle} already, else {@code abandoned}.
     */
    synchronized void endAtLastActivity(Duration idle, String reason) {
        if (status.terminal()) {
            return;
        }
        boolean idleLong = time.nanos() - lastActivityNanos >= idle.toNanos();
        endAt(idleLong ? SessionStatus.TIMEOUT : SessionStatus.ABANDONED, reason,
                new Stamp(lastActivity, lastActivityOffsetMs));
    }

    private void sendState(Stamp at) {
        seq++;
        buffer.add(Delivery.Kind.SESSION_UPDATE, sessionId, at.at(), patchBody(), at.offsetMs(), status.terminal() ? null : this);
    }

    private ObjectNode patchBody() {
        ObjectNode patch = json.createObjectNode().put("seq", seq).put("status", status.apiName());
        FunnelStage exitStage = status.terminal() && status != SessionStatus.COMPLETED ? funnel.current() : null;
        patch.set("funnel", funnel.toJson(json, exitStage));
        patch.set("behavior", behavior());
        if (endedAt != null) {
            patch.put("endedAt", endedAt.toString());
            if (exitReason != null) {
                patch.put("exitReason", exitReason);
            } else {
                patch.putNull("exitReason");
            }
        }
        return patch;
    }

    private ObjectNode behavior() {
        ObjectNode behavior = json.createObjectNode().put("totalTaps", taps).put("totalScrolls", scrolls)
                .put("selectionChanges", selectionChanges);
        ObjectNode durations = behavior.putObject("screenDurationsMs");
        screenDurationsMs.forEach(durations::put);
        return behavior;
    }

    /**
     * What the journal keeps of an open session (null once it ended): enough for the next start to end it with
     * the right {@code seq}, funnel, behaviour and {@code endedAt}.
     */
    synchronized ObjectNode persistentState() {
        if (status.terminal()) {
            return null;
        }
        ObjectNode s = json.createObjectNode().put("sessionId", sessionId).put("startedAt", startedAt.toString())
                .put("seq", seq).put("status", status.apiName()).put("lastActivity", lastActivity.toString())
                .put("off", lastActivityOffsetMs).put("events", nextSequenceNo);
        s.set("funnel", funnel.toJson(json, null));
        s.set("behavior", behavior());
        return s;
    }

    /**
     * The final PATCH for a session a previous process left open ({@code state} from {@link #persistentState}):
     * the next {@code seq}, {@code endedAt} = its last activity, its funnel closed there with the stage it was in
     * as exit stage.
     */
    static ObjectNode finalPatchOfLeftover(ObjectMapper json, ObjectNode state, SessionStatus terminal, String reason) {
        String last = state.path("lastActivity").asText();
        ObjectNode funnel = state.path("funnel").deepCopy();
        ArrayNode stages = funnel.withArray("stages");
        String exitStage = null;
        if (!stages.isEmpty()) {
            ObjectNode lastVisit = (ObjectNode) stages.get(stages.size() - 1);
            if (!lastVisit.hasNonNull("exitedAt")) {
                lastVisit.put("exitedAt", last);
            }
            exitStage = lastVisit.path("stage").asText();
        }
        funnel.put("exitStage", exitStage);
        ObjectNode patch = json.createObjectNode().put("seq", state.path("seq").asLong() + 1)
                .put("status", terminal.apiName());
        patch.set("funnel", funnel);
        JsonNode behavior = state.get("behavior");
        if (behavior != null) {
            patch.set("behavior", behavior.deepCopy());
        }
        patch.put("endedAt", last).put("exitReason", reason);
        return patch;
    }

    private Stamp touch() {
        lastActivityNanos = time.nanos();
        lastActivityOffsetMs = time.offsetMs();
        lastActivity = time.now();
        return new Stamp(lastActivity, lastActivityOffsetMs);
    }

    /** A moment as stamped on a record, with the clock correction it carries. */
    private record Stamp(Instant at, long offsetMs) {
    }
}
