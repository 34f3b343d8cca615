package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Timings of app start, capture, render, print and payment, sent in batches with the events. A {@link Timer}
 * measures one operation; {@link Timer#mark} splits it into the {@code breakdown} phases.
 */
public final class PerformanceTracker {

    /** The contract's bound: {@code durationMs} is below one hour. */
    static final long MAX_DURATION_MS = 3_599_999;

    private final EventBuffer buffer;
    private final TimeSource time;
    private final ObjectMapper json;
    private final DeviceContext device;

    /** @param device null when the app turned the default context off */
    PerformanceTracker(EventBuffer buffer, TimeSource time, ObjectMapper json, DeviceContext device) {
        this.buffer = buffer;
        this.time = time;
        this.json = json;
        this.device = device;
    }

    /** Starts timing an operation; {@code session} may be null ({@code app_start} has none). */
    public Timer start(MetricType type, Session session) {
        return new Timer(type, session);
    }

    /**
     * Records a timing measured elsewhere. Returns its {@code metricId}, or null when it was ignored (no type, or
     * a duration outside 0 ms to 1 h: reported to the listener).
     *
     * @param breakdown phase name → milliseconds, or null
     * @param context   device figures at the time, or null; memory and CPU are added by default (see
     *                  {@code KioskTelemetry.Builder#deviceContext})
     */
    public String record(MetricType type, Session session, long durationMs, boolean success,
                         Map<String, Long> breakdown, Map<String, ?> context) {
        if (type == null || durationMs < 0 || durationMs > MAX_DURATION_MS) {
            buffer.ignored("PerformanceTracker.record", type == null ? "no metric type"
                    : "durationMs must be 0.." + MAX_DURATION_MS + ", was " + durationMs);
            return null;
        }
        String metricId = UUID.randomUUID().toString();
        long off = time.offsetMs();
        Instant at = time.now();
        ObjectNode metric = json.createObjectNode().put("metricId", metricId).put("metricType", type.apiName())
                .put("timestamp", at.toString()).put("durationMs", durationMs).put("success", success);
        if (session != null) {
            metric.put("sessionId", session.id());
        }
        if (breakdown != null && !breakdown.isEmpty()) {
            metric.set("breakdown", json.valueToTree(breakdown));
        }
        Map<String, Object> ctx = new LinkedHashMap<>();
        if (device != null) {
            try {
                ctx.putAll(device.now());
            } catch (RuntimeException | LinkageError unavailable) {
                // the platform does not say; the timing goes without
            }
        }
        if (context != null) {
            ctx.putAll(context);
        }
        if (!ctx.isEmpty()) {
            try {
                metric.set("context", json.valueToTree(ctx));
            } catch (IllegalArgumentException notJson) {
                buffer.ignored("PerformanceTracker.record", "context not serializable: " + notJson.getMessage());
            }
        }
        buffer.add(Delivery.Kind.METRIC, metricId, at, metric, off, null);
        return metricId;
    }

    /**
     * One operation being timed, with the monotonic clock (a wall-clock change while it runs does not bend it).
     * Not thread-safe: one thread starts, marks and stops it.
     */
    public final class Timer {
        private final MetricType type;
        private final Session session;
        private final long startedNanos;
        private long lastMarkNanos;
        private final Map<String, Long> breakdown = new LinkedHashMap<>();
        private boolean stopped;

        private Timer(MetricType type, Session session) {
            this.type = type;
            this.session = session;
            this.startedNanos = time.nanos();
            this.lastMarkNanos = startedNanos;
        }

        /** Ends a phase: the time since the start or the previous mark goes to {@code breakdown[phase]}. */
        public Timer mark(String phase) {
            long now = time.nanos();
            breakdown.merge(phase, (now - lastMarkNanos) / 1_000_000, Long::sum);
            lastMarkNanos = now;
            return this;
        }

        /**
         * Stops the timer and queues the timing; returns its {@code metricId}. A timer stops once: a second stop
         * is ignored (null, reported to the listener).
         */
        public String stop(boolean success, Map<String, ?> context) {
            if (stopped) {
                buffer.ignored("Timer.stop", "timer already stopped");
                return null;
            }
            stopped = true;
            long duration = Math.min((time.nanos() - startedNanos) / 1_000_000, MAX_DURATION_MS);
            return record(type, session, Math.max(duration, 0), success, breakdown, context);
        }
    }
}
