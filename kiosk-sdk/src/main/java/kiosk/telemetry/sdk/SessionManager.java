package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts sessions and ends those left idle: a session with no activity for {@code idleTimeout} (default
 * 3 minutes) is ended as {@code timeout}, with the stage it stopped in as its exit stage.
 */
public final class SessionManager {

    private final EventBuffer buffer;
    private final Clock clock;
    private final ObjectMapper json;
    private final Duration idleTimeout;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    SessionManager(EventBuffer buffer, Clock clock, ObjectMapper json, Duration idleTimeout) {
        this.buffer = buffer;
        this.clock = clock;
        this.json = json;
        this.idleTimeout = idleTimeout;
    }

    /** A customer walked up: a new session in {@code attract}, status {@code started}. */
    public Session start(String appVersion, Map<String, ?> experiments) {
        Session s = new Session(this, buffer, clock, json, appVersion, experiments);
        open.put(s.id(), s);
        return s;
    }

    /** Sessions not yet ended. */
    public List<Session> open() {
        return List.copyOf(open.values());
    }

    /** Ends every session idle for the timeout; returns how many. Run by the SDK's timer. */
    public int endIdle() {
        int ended = 0;
        for (Session s : open()) {
            if (s.endIfIdle(idleTimeout, clock.instant())) {
                ended++;
            }
        }
        return ended;
    }

    void ended(Session s) {
        open.remove(s.id());
    }
}
