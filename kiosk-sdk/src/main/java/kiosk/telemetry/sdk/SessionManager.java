package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts sessions and ends those left idle: a session with no activity for {@code idleTimeout} (default
 * 3 minutes, measured with the monotonic clock) is ended as {@code timeout}, with the stage it stopped in as its
 * exit stage. At start it ends the sessions a previous process left open (see {@link #recover}).
 */
public final class SessionManager {

    private final EventBuffer buffer;
    private final TimeSource time;
    private final ObjectMapper json;
    private final ErrorTracker errors;
    private final FunnelMap funnelMap;
    private final Duration idleTimeout;
    private final List<Experiment> experiments;
    private final String deviceId;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    SessionManager(EventBuffer buffer, TimeSource time, ObjectMapper json, ErrorTracker errors, FunnelMap funnelMap,
                   Duration idleTimeout, List<Experiment> experiments, String deviceId) {
        this.buffer = buffer;
        this.time = time;
        this.json = json;
        this.errors = errors;
        this.funnelMap = funnelMap;
        this.idleTimeout = idleTimeout;
        this.experiments = List.copyOf(experiments);
        this.deviceId = deviceId;
    }

    /**
     * A customer walked up: a new session in {@code attract}, status {@code started}, whose {@code experiments}
     * carry the variants the SDK assigns (see {@link Variants}) for every experiment given to the builder.
     */
    public Session start(String appVersion) {
        return start(appVersion, null);
    }

    /**
     * {@link #start(String)}, with the app's own {@code experiments} entries as well (name → variant); an entry
     * for an experiment the SDK assigns overrides the assignment (a forced variant for a demo kiosk).
     */
    public Session start(String appVersion, Map<String, ?> experiments) {
        String sessionId = UUID.randomUUID().toString();
        Map<String, Object> carried = new LinkedHashMap<>(assign(sessionId));
        if (experiments != null) {
            experiments.forEach((k, v) -> carried.put(String.valueOf(k), v));
        }
        Session s = new Session(this, buffer, time, json, errors, funnelMap, sessionId, appVersion, carried);
        open.put(s.id(), s);
        return s;
    }

    /** The variants of the builder's experiments for a session with this id (per-device ones by the device id). */
    Map<String, String> assign(String sessionId) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Experiment e : experiments) {
            String variant = Variants.assign(e.unit() == Experiment.Unit.DEVICE ? deviceId : sessionId, e);
            if (variant != null) {
                m.put(e.name(), variant);
            }
        }
        return m;
    }

    /**
     * This kiosk's variant of a per-device experiment given to the builder (the same in every session and after a
     * restart), or null for an unknown or per-session experiment. For the app to choose its layout.
     */
    public String deviceVariant(String experimentName) {
        for (Experiment e : experiments) {
            if (e.name().equals(experimentName) && e.unit() == Experiment.Unit.DEVICE) {
                return Variants.assign(deviceId, e);
            }
        }
        return null;
    }

    /** Sessions not yet ended. */
    public List<Session> open() {
        return List.copyOf(open.values());
    }

    /** Ends every session idle for the timeout; returns how many. Run by the SDK's timer. */
    public int endIdle() {
        int ended = 0;
        for (Session s : open()) {
            if (s.endIfIdle(idleTimeout)) {
                ended++;
            }
        }
        return ended;
    }

    void ended(Session s) {
        open.remove(s.id());
    }

    /** For {@code close()}: ends every open session at its last activity ({@code abandoned}, or {@code timeout} if idle). */
    void endAllAtLastActivity(String reason) {
        for (Session s : open()) {
            s.endAtLastActivity(idleTimeout, reason);
        }
    }

    /**
     * Ends the sessions a previous process left open (found in the journal): each one gets a final PATCH with the
     * next {@code seq}, {@code endedAt} = its last activity, and status {@code timeout} when its last activity is
     * at least the idle timeout ago, else {@code abandoned}. None is resumed. Returns how many.
     */
    int recover(Map<String, ObjectNode> leftovers) {
        Instant now = time.now();
        int n = 0;
        for (ObjectNode state : leftovers.values()) {
            String id = state.path("sessionId").asText();
            Instant last;
            try {
                last = Instant.parse(state.path("lastActivity").asText());
            } catch (RuntimeException unreadable) {
                continue;
            }
            long stampedOffset = state.path("off").asLong(0);
            // the last activity as the server's clock sees it now (the estimate may have moved since)
            Instant lastByNow = time.estimated() ? last.plusMillis(time.offsetMs() - stampedOffset) : last;
            boolean idle = Duration.between(lastByNow, now).compareTo(idleTimeout) >= 0;
            SessionStatus terminal = idle ? SessionStatus.TIMEOUT : SessionStatus.ABANDONED;
            ObjectNode patch = Session.finalPatchOfLeftover(json, state, terminal, "app restarted");
            buffer.add(Delivery.Kind.SESSION_UPDATE, id, last, patch, stampedOffset, null);
            buffer.sessionEnded(id);
            n++;
        }
        return n;
    }
}
