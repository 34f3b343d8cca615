package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.domain.TimingHistogram;
import kiosk.telemetry.core.summary.SummaryWriter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one device did on one reporting day, folded record by record (nothing is kept but counters,
 * exact sums and the day's durations per metric type), then written out in the contract's summary shape.
 * Plain class; thread-safe, because the shards of a day are read in parallel.
 */
public final class DeviceDay {

    private static final int HOURS = SummaryWriter.HOURS;

    private final String deviceId;
    private final ZoneId zone;
    private long sessions;
    private final Map<String, Long> byStatus = new TreeMap<>();
    private long durationSum;
    private long durationCount;
    private final long[] reached = new long[FunnelStage.values().length];
    private final long[] exitStage = new long[FunnelStage.values().length];
    /** Sums of per-session counters of up to 2^53 - 1 each: exact beyond a long. */
    private BigInteger taps = BigInteger.ZERO;
    private BigInteger scrolls = BigInteger.ZERO;
    private BigInteger selectionChanges = BigInteger.ZERO;
    private long salesCount;
    private final Map<String, Map<String, BigDecimal>> byCurrency = new TreeMap<>();
    private final Map<String, Long> paymentCount = new TreeMap<>();
    private final Map<String, Map<String, BigDecimal>> paymentNet = new TreeMap<>();
    private final Map<String, List<Long>> durations = new TreeMap<>();
    private final Map<String, Long> successes = new TreeMap<>();
    private long errors;
    private final Map<String, Long> bySeverity = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();
    private long events;
    private final Map<String, Long> byType = new TreeMap<>();
    private final long[] hourSessions = new long[HOURS];
    private final long[] hourCompleted = new long[HOURS];
    private final long[] hourErrors = new long[HOURS];
    private final List<Map<String, BigDecimal>> hourNet = new ArrayList<>(HOURS);
    /** Experiment name → variant → {sessions, completed}. */
    private final Map<String, Map<String, long[]>> experimentCounts = new TreeMap<>();
    /** Experiment name → variant → net per currency of the sales of its sessions. */
    private final Map<String, Map<String, Map<String, BigDecimal>>> experimentNet = new TreeMap<>();
    /** The (experiment, variant) pairs of each session of the day that carried experiments, to credit its sales. */
    private final Map<String, List<Map.Entry<String, String>>> sessionVariants = new HashMap<>();

    /** A device's day, its hours counted in {@code zone} (the reporting zone). */
    public DeviceDay(String deviceId, ZoneId zone) {
        this.deviceId = deviceId;
        this.zone = zone;
        for (int h = 0; h < HOURS; h++) {
            hourNet.add(new TreeMap<>());
        }
    }


    public String deviceId() {
        return deviceId;
    }

    /**
     * A session that started this day: status, duration, funnel reach and exit, behaviour counters, its hour,
     * and the variants of its experiments (name → variant, text values only).
     */
    public synchronized void addSession(String sessionId, String status, Instant startedAt, Instant endedAt, JsonNode funnel,
                                        JsonNode behavior, JsonNode experimentVariants) {
        sessions++;
        byStatus.merge(status, 1L, Long::sum);
        boolean done = SessionStatus.completed.name().equals(status);
        int hour = hourOf(startedAt);
        hourSessions[hour]++;
        if (done) {
            hourCompleted[hour]++;
        }
        if (experimentVariants != null && experimentVariants.isObject()) {
            List<Map.Entry<String, String>> joined = new ArrayList<>();
            experimentVariants.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    long[] counts = experimentCounts.computeIfAbsent(e.getKey(), n -> new TreeMap<>())
                            .computeIfAbsent(e.getValue().textValue(), n -> new long[2]);
                    counts[0]++;
                    if (done) {
                        counts[1]++;
                    }
                    joined.add(Map.entry(e.getKey(), e.getValue().textValue()));
                }
            });
            if (!joined.isEmpty() && sessionId != null) {
                sessionVariants.put(sessionId, joined);
            }
        }
        if (endedAt != null) {
            durationSum += endedAt.toEpochMilli() - startedAt.toEpochMilli();
            durationCount++;
        }
        int furthest = -1;
        if (funnel != null) {
            for (JsonNode s : funnel.path("stages")) {
                furthest = Math.max(furthest, FunnelStage.valueOf(s.path("stage").asText()).ordinal());
            }
            JsonNode exit = funnel.get("exitStage");
            if (exit != null && exit.isTextual()) {
                int e = FunnelStage.valueOf(exit.textValue()).ordinal();
                exitStage[e]++;
                furthest = Math.max(furthest, e);
            }
        }
        for (int i = 0; i <= furthest; i++) {
            reached[i]++;
        }
        if (behavior != null) {
            taps = taps.add(counter(behavior, "totalTaps"));
            scrolls = scrolls.add(counter(behavior, "totalScrolls"));
            selectionChanges = selectionChanges.add(counter(behavior, "selectionChanges"));
        }
    }

    /**
     * A sale of this day: exact sums per currency, count and net per payment method, net in its hour, and net
     * for the variants of its session when that session started this day on this device (sessions are folded
     * before sales).
     */
    public synchronized void addSale(String sessionId, Instant soldAt, String currency, String paymentMethod, Map<String, BigDecimal> amounts) {
        salesCount++;
        Map<String, BigDecimal> sums = byCurrency.computeIfAbsent(currency, c -> new TreeMap<>());
        for (String a : SummaryWriter.SALE_AMOUNTS) {
            BigDecimal v = amounts.get(a);
            sums.merge(a, v == null ? BigDecimal.ZERO : v, BigDecimal::add);
        }
        paymentCount.merge(paymentMethod, 1L, Long::sum);
        BigDecimal net = amounts.get("net") == null ? BigDecimal.ZERO : amounts.get("net");
        paymentNet.computeIfAbsent(paymentMethod, m -> new TreeMap<>()).merge(currency, net, BigDecimal::add);
        hourNet.get(hourOf(soldAt)).merge(currency, net, BigDecimal::add);
        for (Map.Entry<String, String> v : sessionVariants.getOrDefault(sessionId, List.of())) {
            experimentNet.computeIfAbsent(v.getKey(), n -> new TreeMap<>()).computeIfAbsent(v.getValue(), n -> new TreeMap<>())
                    .merge(currency, net, BigDecimal::add);
        }
    }

    /**
     * A sale of the next day whose session started this day on this device: its net counts for the variants of that
     * session (the contract counts it on the session's day), and nowhere else in this day's summary.
     */
    public synchronized void addLaterSale(String sessionId, String currency, BigDecimal net) {
        for (Map.Entry<String, String> v : sessionVariants.getOrDefault(sessionId, List.of())) {
            experimentNet.computeIfAbsent(v.getKey(), n -> new TreeMap<>()).computeIfAbsent(v.getValue(), n -> new TreeMap<>())
                    .merge(currency, net == null ? BigDecimal.ZERO : net, BigDecimal::add);
        }
    }

    public synchronized void addMetric(String metricType, long durationMs, boolean success) {
        durations.computeIfAbsent(metricType, t -> new ArrayList<>()).add(durationMs);
        if (success) {
            successes.merge(metricType, 1L, Long::sum);
        }
    }

    public synchronized void addError(Instant timestamp, String severity, String category) {
        errors++;
        hourErrors[hourOf(timestamp)]++;
        bySeverity.merge(severity, 1L, Long::sum);
        byCategory.merge(category, 1L, Long::sum);
    }

    public synchronized void addEvent(String eventType) {
        events++;
        byType.merge(eventType, 1L, Long::sum);
    }

    /** Records folded, per kind (for the run's verification). */
    public synchronized Map<String, Long> counts() {
        long metrics = durations.values().stream().mapToLong(List::size).sum();
        return Map.of("sessions", sessions, "sales", salesCount, "performance", metrics, "errors", errors, "events", events);
    }

    /** The contract's daily summary of this device and day. */
    public synchronized ObjectNode summary(String date, Dimensions dims, String aggregatedAt) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("date", date).put("deviceId", deviceId).put("storeId", dims.storeId()).put("groupId", dims.groupId())
                .put("countryCode", dims.countryCode());

        SummaryWriter.sessions(out, sessions, byStatus, durationSum, durationCount);
        SummaryWriter.funnel(out, reached, exitStage);
        SummaryWriter.sales(out, salesCount, byCurrency, paymentCount, paymentNet);

        ObjectNode perf = out.putObject("performance");
        durations.forEach((type, list) -> {
            List<Long> sorted = new ArrayList<>(list);
            Collections.sort(sorted);
            ObjectNode o = perf.putObject(type);
            o.put("count", sorted.size());
            o.put("successRate", SummaryWriter.ratio(successes.getOrDefault(type, 0L), sorted.size()));
            o.put("p50", nearestRank(sorted, 50));
            o.put("p95", nearestRank(sorted, 95));
            o.put("p99", nearestRank(sorted, 99));
            o.put("max", sorted.get(sorted.size() - 1));
            TimingHistogram h = new TimingHistogram();
            sorted.forEach(h::add);
            o.set("histogram", h.toJson());
        });

        SummaryWriter.errors(out, errors, bySeverity, byCategory);
        SummaryWriter.events(out, events, byType);
        SummaryWriter.behavior(out, taps, scrolls, selectionChanges);
        SummaryWriter.byHour(out, hourSessions, hourCompleted, hourNet, hourErrors);
        SummaryWriter.experiments(out, experimentCounts, experimentNet);
        out.put("aggregatedAt", aggregatedAt);
        return out;
    }

    private int hourOf(Instant t) {
        return t.atZone(zone).getHour();
    }

    private static BigInteger counter(JsonNode behavior, String name) {
        JsonNode v = behavior.path(name);
        return v.isIntegralNumber() ? v.bigIntegerValue() : BigInteger.ZERO;
    }

    /** Nearest-rank percentile: the value at rank ceil(p/100 × n) of the sorted values (1-based). */
    static long nearestRank(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    /** A device's store, group and country, {@code "unknown"} where the registry has none. */
    public record Dimensions(String storeId, String groupId, String countryCode) {
        public static Dimensions of(String storeId, String groupId, String countryCode) {
            return new Dimensions(orUnknown(storeId), orUnknown(groupId), orUnknown(countryCode));
        }

        private static String orUnknown(String v) {
            return v == null || v.isBlank() ? "unknown" : v;
        }
    }
}
