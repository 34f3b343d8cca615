package kiosk.telemetry.core.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.DeviceSketch;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.domain.TimingHistogram;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums of daily summaries: device summaries into a day's rollup, or rollups into a range. Every count and
 * amount is added (amounts exactly, as decimals); ratios are recomputed from the sums; timing percentiles
 * come from the merged histograms; distinct devices from merged sketches (docs/insights.md). The sums do not
 * depend on the order of the parts. Plain class, not thread-safe.
 */
public final class SummaryTotals {

    private static final List<String> SALE_AMOUNTS = SummaryWriter.SALE_AMOUNTS;
    private static final List<String> BEHAVIOR = List.of("totalTaps", "totalScrolls", "selectionChanges");
    private static final int HOURS = SummaryWriter.HOURS;

    private long sessions;
    private final Map<String, Long> byStatus = new TreeMap<>();
    private long durationSum;
    private long ended;
    private final long[] reached = new long[FunnelStage.values().length];
    private final long[] exitStage = new long[FunnelStage.values().length];
    private long salesCount;
    private final Map<String, Map<String, BigDecimal>> byCurrency = new TreeMap<>();
    private final Map<String, Long> paymentCount = new TreeMap<>();
    private final Map<String, Map<String, BigDecimal>> paymentNet = new TreeMap<>();
    private final Map<String, TimingHistogram> timings = new TreeMap<>();
    private final Map<String, Long> timingSuccesses = new TreeMap<>();
    private long errors;
    private final Map<String, Long> bySeverity = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();
    private long events;
    private final Map<String, Long> byType = new TreeMap<>();
    private final Map<String, BigInteger> behavior = new TreeMap<>();
    private final long[] hourSessions = new long[HOURS];
    private final long[] hourCompleted = new long[HOURS];
    private final long[] hourErrors = new long[HOURS];
    private final List<Map<String, BigDecimal>> hourNet = new ArrayList<>(HOURS);
    private final Map<String, Map<String, long[]>> experimentCounts = new TreeMap<>();
    private final Map<String, Map<String, Map<String, BigDecimal>>> experimentNet = new TreeMap<>();
    private final DeviceSketch reporting = new DeviceSketch();
    private final DeviceSketch active = new DeviceSketch();

    public SummaryTotals() {
        for (int h = 0; h < HOURS; h++) {
            hourNet.add(new TreeMap<>());
        }
    }

    /** Adds one device's daily summary; the device counts as reporting, and as active when it had sessions. */
    public void addDeviceSummary(JsonNode summary) {
        addFigures(summary);
        String deviceId = summary.path("deviceId").asText();
        reporting.add(deviceId);
        if (summary.at("/sessions/total").asLong() > 0) {
            active.add(deviceId);
        }
    }

    /** Adds a rollup (of a day, or of days already summed), its distinct-device sketches merged. */
    public void addRollup(JsonNode rollup) {
        addFigures(rollup);
        reporting.merge(DeviceSketch.decode(rollup.at("/devices/sketch/reporting").asText()));
        active.merge(DeviceSketch.decode(rollup.at("/devices/sketch/active").asText()));
    }

    private void addFigures(JsonNode s) {
        JsonNode se = s.path("sessions");
        sessions += se.path("total").asLong();
        se.path("byStatus").fields().forEachRemaining(e -> byStatus.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        durationSum += se.path("durationMsSum").asLong();
        ended += se.path("ended").asLong();

        JsonNode funnel = s.path("funnel");
        for (FunnelStage st : FunnelStage.values()) {
            reached[st.ordinal()] += funnel.path("reached").path(st.name()).asLong();
            exitStage[st.ordinal()] += funnel.path("exitStage").path(st.name()).asLong();
        }

        JsonNode sales = s.path("sales");
        salesCount += sales.path("count").asLong();
        sales.path("byCurrency").fields().forEachRemaining(c -> {
            Map<String, BigDecimal> sums = byCurrency.computeIfAbsent(c.getKey(), k -> new TreeMap<>());
            SALE_AMOUNTS.forEach(a -> sums.merge(a, decimal(c.getValue().path(a)), BigDecimal::add));
        });
        sales.path("byPaymentMethod").fields().forEachRemaining(m -> {
            paymentCount.merge(m.getKey(), m.getValue().path("count").asLong(), Long::sum);
            addAmounts(paymentNet.computeIfAbsent(m.getKey(), k -> new TreeMap<>()), m.getValue().path("net"));
        });

        s.path("performance").fields().forEachRemaining(t -> {
            JsonNode p = t.getValue();
            timings.computeIfAbsent(t.getKey(), k -> new TimingHistogram()).merge(TimingHistogram.fromJson(p.path("histogram")));
            // a summary's successRate is a fraction of its count rounded to 6 places: exact back to a whole
            // number while count < 500,000, which a device's day of one type is far below
            long successes = p.has("successes") ? p.path("successes").asLong()
                    : Math.round(p.path("successRate").asDouble() * p.path("count").asLong());
            timingSuccesses.merge(t.getKey(), successes, Long::sum);
        });

        JsonNode err = s.path("errors");
        errors += err.path("total").asLong();
        err.path("bySeverity").fields().forEachRemaining(e -> bySeverity.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        err.path("byCategory").fields().forEachRemaining(e -> byCategory.merge(e.getKey(), e.getValue().asLong(), Long::sum));

        JsonNode ev = s.path("events");
        events += ev.path("total").asLong();
        ev.path("byType").fields().forEachRemaining(e -> byType.merge(e.getKey(), e.getValue().asLong(), Long::sum));

        BEHAVIOR.forEach(b -> behavior.merge(b, s.path("behavior").path(b).bigIntegerValue(), BigInteger::add));

        for (JsonNode h : s.path("byHour")) {
            int hour = h.path("hour").asInt();
            hourSessions[hour] += h.path("sessions").asLong();
            hourCompleted[hour] += h.path("completed").asLong();
            hourErrors[hour] += h.path("errors").asLong();
            addAmounts(hourNet.get(hour), h.path("net"));
        }

        s.path("experiments").fields().forEachRemaining(e -> e.getValue().fields().forEachRemaining(v -> {
            long[] counts = experimentCounts.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).computeIfAbsent(v.getKey(), k -> new long[2]);
            counts[0] += v.getValue().path("sessions").asLong();
            counts[1] += v.getValue().path("completed").asLong();
            addAmounts(experimentNet.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).computeIfAbsent(v.getKey(), k -> new TreeMap<>()),
                    v.getValue().path("net"));
        }));
    }

    public long sessions() {
        return sessions;
    }

    public long completed() {
        return byStatus.getOrDefault(SessionStatus.completed.name(), 0L);
    }

    public long errors() {
        return errors;
    }

    public long salesCount() {
        return salesCount;
    }

    /** Net per currency, exact. */
    public Map<String, BigDecimal> net() {
        Map<String, BigDecimal> out = new TreeMap<>();
        byCurrency.forEach((c, sums) -> out.put(c, sums.getOrDefault("net", BigDecimal.ZERO)));
        return out;
    }

    public long reportingDevices() {
        return reporting.estimate();
    }

    public long activeDevices() {
        return active.estimate();
    }

    /** The merged histogram of a timing type, or null when none was seen. */
    public TimingHistogram timing(String type) {
        return timings.get(type);
    }

    private long timingSuccesses(String type) {
        return timingSuccesses.getOrDefault(type, 0L);
    }

    /** Per experiment and variant: {sessions, completed}. */
    public Map<String, Map<String, long[]>> experimentCounts() {
        return experimentCounts;
    }

    public Map<String, Map<String, Map<String, BigDecimal>>> experimentNet() {
        return experimentNet;
    }

    /**
     * The daily-summary shape of the sums, with {@code devices} (reporting, active and their sketches); the
     * caller adds the date, the scope and {@code aggregatedAt}.
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        ObjectNode dev = out.putObject("devices");
        dev.put("reporting", reporting.estimate()).put("active", active.estimate());
        dev.putObject("sketch").put("reporting", reporting.encode()).put("active", active.encode());

        SummaryWriter.sessions(out, sessions, byStatus, durationSum, ended);
        SummaryWriter.funnel(out, reached, exitStage);
        SummaryWriter.sales(out, salesCount, byCurrency, paymentCount, paymentNet);

        ObjectNode perf = out.putObject("performance");
        timings.forEach((type, h) -> {
            ObjectNode o = perf.putObject(type);
            o.put("count", h.count());
            o.put("successRate", SummaryWriter.ratio(timingSuccesses(type), h.count()));
            o.put("successes", timingSuccesses(type));
            o.put("p50", h.percentile(50));
            o.put("p95", h.percentile(95));
            o.put("p99", h.percentile(99));
            o.put("max", h.max());
            o.set("histogram", h.toJson());
        });

        SummaryWriter.errors(out, errors, bySeverity, byCategory);
        SummaryWriter.events(out, events, byType);
        SummaryWriter.behavior(out, behavior.getOrDefault("totalTaps", BigInteger.ZERO), behavior.getOrDefault("totalScrolls", BigInteger.ZERO),
                behavior.getOrDefault("selectionChanges", BigInteger.ZERO));
        SummaryWriter.byHour(out, hourSessions, hourCompleted, hourNet, hourErrors);
        SummaryWriter.experiments(out, experimentCounts, experimentNet);
        return out;
    }

    private static void addAmounts(Map<String, BigDecimal> into, JsonNode amounts) {
        for (Iterator<Map.Entry<String, JsonNode>> it = amounts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.merge(e.getKey(), decimal(e.getValue()), BigDecimal::add);
        }
    }

    private static BigDecimal decimal(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? BigDecimal.ZERO : new BigDecimal(v.asText());
    }

}
