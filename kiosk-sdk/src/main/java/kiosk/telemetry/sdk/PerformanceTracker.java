package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private final Clock clock;
    private final ObjectMapper json;

    PerformanceTracker(EventBuffer buffer, Clock clock, ObjectMapper json) {
        this.buffer = buffer;
        this.clock = clock;
        this.json = json;
    }

    /** Starts timing an operation; {@code session} may be null ({@code app_start} has none). */
    public Timer start(MetricType type, Session session) {
        return new Timer(type, session);
    }

    /**
     * Records a timing measured elsewhere. Returns its {@code metricId}.
     *
     * @param breakdown phase name → milliseconds, or null
     * @param context   device figures at the time (memory, CPU), or null
     */
    public String record(MetricType type, Session session, long durationMs, boolean success,
                         Map<String, Long> breakdown, Map<String, ?> context) {
        if (durationMs < 0 || durationMs > MAX_DURATION_MS) {
            throw new IllegalArgumentException("durationMs must be 0.." + MAX_DURATION_MS + ", was " + durationMs);
        }
        String metricId = UUID.randomUUID().toString();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode metric = json.createObjectNode().put("metricId", metricId).put("metricType", type.apiName())
                .put("timestamp", at.toString()).put("durationMs", durationMs).put("success", success);
        if (session != null) {
            metric.put("sessionId", session.id());
        }
        if (breakdown != null && !breakdown.isEmpty()) {
            metric.set("breakdown", json.valueToTree(breakdown));
        }
        if (context != null && !context.isEmpty()) {
            metric.set("context", json.valueToTree(context));
        }
        buffer.add(Delivery.Kind.METRIC, metricId, at, metric);
        return metricId;
    }

    /** One operation being timed. Not thread-safe: one thread starts, marks and stops it. */
    public final class Timer {
        private final MetricType type;
        private final Session session;
        private final long startedMs;
        private long lastMarkMs;
        private final Map<String, Long> breakdown = new LinkedHashMap<>();
        private boolean stopped;

        private Timer(MetricType type, Session session) {
            this.type = type;
            this.session = session;
            this.startedMs = clock.millis();
            this.lastMarkMs = startedMs;
        }

        /** Ends a phase: the time since the start or the previous mark goes to {@code breakdown[phase]}. */
        public Timer mark(String phase) {
            long now = clock.millis();
            breakdown.merge(phase, now - lastMarkMs, Long::sum);
            lastMarkMs = now;
            return this;
        }

        /** Stops the timer and queues the timing; returns its {@code metricId}. A timer stops once. */
        public String stop(boolean success, Map<String, ?> context) {
            if (stopped) {
                throw new IllegalStateException("timer already stopped");
            }
            stopped = true;
            long duration = Math.min(clock.millis() - startedMs, MAX_DURATION_MS);
            return record(type, session, Math.max(duration, 0), success, breakdown, context);
        }
    }
}
