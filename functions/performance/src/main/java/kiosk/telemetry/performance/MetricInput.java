package kiosk.telemetry.performance;

import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.json.FieldReader;

import java.time.Instant;
import java.util.Set;

/** Validates one timing (single route or batch item). */
final class MetricInput {

    static final Set<String> TYPES = Set.of("app_start", "capture", "render", "print", "payment");
    static final long MAX_DURATION_MS = 3_599_999;

    private MetricInput() {
    }

    /** The metric, attributed to {@code caller}; null when the reader recorded errors. */
    static Metric read(FieldReader r, Device caller, Instant now) {
        String id = r.uuid("metricId", true);
        String sessionId = r.uuid("sessionId", false);
        String type = r.oneOf("metricType", true, TYPES);
        Instant ts = r.timestamp("timestamp", true);
        Long duration = r.integer("durationMs", true, 0, MAX_DURATION_MS);
        Boolean success = r.bool("success", false);
        var breakdown = r.freeObject("breakdown", false);
        var context = r.freeObject("context", false);
        if (!r.valid()) {
            return null;
        }
        return new Metric(id, sessionId, caller.deviceId(), caller.storeId(), caller.groupId(), caller.countryCode(),
                type, ts, duration, success == null || success, breakdown, context, now);
    }
}
