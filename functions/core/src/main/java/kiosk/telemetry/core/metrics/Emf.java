package kiosk.telemetry.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Set;

/**
 * CloudWatch Embedded Metric Format: one JSON line per event on standard output, from which CloudWatch Logs
 * extracts the metrics (no SDK call, no extra latency, nothing to register for a native image). The metric
 * names and units are fixed here, so the template's alarms can be checked against them.
 */
public final class Emf {

    /** Every metric the code emits, with its unit; alarms and dashboards may only use these. */
    public enum Metric {
        Requests("Count", "Route"), Latency("Milliseconds", "Route"), ServerErrors("Count", "Route"),
        /** 500 answers only: a bug or a storage call the service refused, never throttling (that is 503). */
        InternalErrors("Count", "Route"),
        Accepted("Count", "Kind"), Duplicates("Count", "Kind"), Rejected("Count", "Kind"), Retried("Count", "Kind"),
        SessionsCreated("Count", null),
        /** A record was stored but today's running totals could not be counted up for it. */
        LiveTotalsMissed("Count", null),
        RunSucceeded("Count", "Trigger"), RunFailed("Count", "Trigger"), RunDurationMs("Milliseconds", "Trigger"),
        RecordsAggregated("Count", "Trigger"),
        /** 1 when the 01:00 check finds no successful run for the day that just ended, else 0. */
        NightlyRunMissing("Count", null);

        private final String unit;
        private final String dimension;

        Metric(String unit, String dimension) {
            this.unit = unit;
            this.dimension = dimension;
        }

        public String unit() {
            return unit;
        }

        /** The one dimension emitted besides Function (also rolled up under Function alone), or null. */
        public String dimension() {
            return dimension;
        }
    }

    private final String namespace;
    private final String function;
    private final Clock clock;
    private final Consumer<String> sink;

    public Emf(String namespace, String function, Clock clock, Consumer<String> sink) {
        this.namespace = namespace;
        this.function = function;
        this.clock = clock;
        this.sink = sink;
    }

    /**
     * Emits {@code values} with the {@code Function} dimension plus {@code dimensions}, and also rolled up under
     * {@code Function} alone (so an alarm can watch a function or one of its routes).
     */
    public void emit(Map<String, String> dimensions, Map<Metric, Number> values) {
        for (Metric m : values.keySet()) {
            Set<String> allowed = m.dimension() == null ? Set.of() : Set.of(m.dimension());
            if (!allowed.equals(dimensions.keySet())) {
                throw new IllegalArgumentException(m + " is emitted with dimensions " + allowed + ", not " + dimensions.keySet());
            }
        }
        if (sink == null || values.isEmpty()) {
            return;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode line = f.objectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode sets = directive.putArray("Dimensions");
        ArrayNode full = sets.addArray().add("Function");
        dimensions.keySet().forEach(full::add);
        if (!dimensions.isEmpty()) {
            sets.addArray().add("Function");
        }
        ArrayNode metrics = directive.putArray("Metrics");
        values.forEach((m, v) -> metrics.addObject().put("Name", m.name()).put("Unit", m.unit()));
        line.put("Function", function);
        dimensions.forEach(line::put);
        values.forEach((m, v) -> line.put(m.name(), v.doubleValue()));
        sink.accept(line.toString());
    }

    public void emit(Map<Metric, Number> values) {
        emit(Map.of(), values);
    }

    /** Ordered map helper for call sites. */
    public static Map<Metric, Number> values(Object... pairs) {
        Map<Metric, Number> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((Metric) pairs[i], (Number) pairs[i + 1]);
        }
        return out;
    }

}
