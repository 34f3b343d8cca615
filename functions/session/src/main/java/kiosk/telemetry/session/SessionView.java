package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.Timestamps;
import java.time.Instant;

/** A session as the API shows it; timestamps in UTC. */
public record SessionView(String sessionId, String deviceId, String storeId, String groupId, String countryCode,
                          String startedAt, String appVersion, JsonNode experiments, String status, long seq,
                          String endedAt, String exitReason, JsonNode funnel, JsonNode behavior,
                          Long durationMs, String createdAt, String updatedAt) {

    static SessionView of(Session s) {
        Long duration = s.endedAt() == null ? null : s.endedAt().toEpochMilli() - s.startedAt().toEpochMilli();
        return new SessionView(s.sessionId(), s.deviceId(), s.storeId(), s.groupId(), s.countryCode(),
                fmt(s.startedAt()), s.appVersion(), s.experiments(), s.status(), s.seq(), fmt(s.endedAt()),
                s.exitReason(), s.funnel(), s.behavior(), duration, fmt(s.createdAt()), fmt(s.updatedAt()));
    }

    private static String fmt(Instant t) {
        return t == null ? null : Timestamps.format(t);
    }
}
