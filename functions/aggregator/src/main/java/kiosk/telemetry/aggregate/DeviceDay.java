package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one device did on one reporting day, folded record by record (nothing is kept but counters,
 * exact sums and the day's durations per metric type), then written out in the contract's summary shape.
 * Plain class; thread-safe, because the shards of a day are read in parallel.
 */
public final class DeviceDay {

    private static final List<String> SALE_AMOUNTS = List.of("gross", "discount", "tax", "net", "margin");
    private static final List<String> SEVERITIES = List.of("fatal", "error", "warning", "info");
    private static final List<String> CATEGORIES = List.of("hardware", "software", "network");

    private final String deviceId;
    private long sessions;
    private final Map<String, Long> byStatus = new TreeMap<>();
    private long completed;
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

    public DeviceDay(String deviceId) {
        this.deviceId = deviceId;
    }

    public String deviceId() {
        return deviceId;
    }

    /** A session that started this day: status, duration, funnel reach and exit, behaviour counters. */
    public synchronized void addSession(String status, Instant startedAt, Instant endedAt, JsonNode funnel, JsonNode behavior) {
        sessions++;
        byStatus.merge(status, 1L, Long::sum);
        if (SessionStatus.completed.name().equals(status)) {
            completed++;
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

    /** A sale of this day: exact sums per currency, count and net per payment method. */
    public synchronized void addSale(String currency, String paymentMethod, Map<String, BigDecimal> amounts) {
        salesCount++;
        Map<String, BigDecimal> sums = byCurrency.computeIfAbsent(currency, c -> new TreeMap<>());
        for (String a : SALE_AMOUNTS) {
            BigDecimal v = amounts.get(a);
            sums.merge(a, v == null ? BigDecimal.ZERO : v, BigDecimal::add);
        }
        paymentCount.merge(paymentMethod, 1L, Long::sum);
        BigDecimal net = amounts.get("net");
        paymentNet.computeIfAbsent(paymentMethod, m -> new TreeMap<>()).merge(currency, net == null ? BigDecimal.ZERO : net, BigDecimal::add);
    }

    public synchronized void addMetric(String metricType, long durationMs, boolean success) {
        durations.computeIfAbsent(metricType, t -> new ArrayList<>()).add(durationMs);
        if (success) {
            successes.merge(metricType, 1L, Long::sum);
        }
    }

    public synchronized void addError(String severity, String category) {
        errors++;
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

        ObjectNode s = out.putObject("sessions");
        s.put("total", sessions);
        ObjectNode statuses = s.putObject("byStatus");
        for (SessionStatus st : SessionStatus.values()) {
            statuses.put(st.name(), byStatus.getOrDefault(st.name(), 0L));
        }
        s.put("conversionRate", ratio(completed, sessions));
        s.put("avgDurationMs", durationCount == 0 ? 0 : Math.round((double) durationSum / durationCount));

        ObjectNode funnel = out.putObject("funnel");
        ObjectNode r = funnel.putObject("reached");
        ObjectNode x = funnel.putObject("exitStage");
        for (FunnelStage st : FunnelStage.values()) {
            r.put(st.name(), reached[st.ordinal()]);
            x.put(st.name(), exitStage[st.ordinal()]);
        }

        ObjectNode sales = out.putObject("sales");
        sales.put("count", salesCount);
        ObjectNode cur = sales.putObject("byCurrency");
        byCurrency.forEach((c, sums) -> {
            ObjectNode o = cur.putObject(c);
            SALE_AMOUNTS.forEach(a -> o.put(a, plain(sums.get(a))));
        });
        ObjectNode pay = sales.putObject("byPaymentMethod");
        paymentCount.forEach((m, n) -> {
            ObjectNode o = pay.putObject(m);
            o.put("count", n);
            ObjectNode net = o.putObject("net");
            paymentNet.get(m).forEach((c, v) -> net.put(c, plain(v)));
        });

        ObjectNode perf = out.putObject("performance");
        durations.forEach((type, list) -> {
            List<Long> sorted = new ArrayList<>(list);
            Collections.sort(sorted);
            ObjectNode o = perf.putObject(type);
            o.put("count", sorted.size());
            o.put("successRate", ratio(successes.getOrDefault(type, 0L), sorted.size()));
            o.put("p50", nearestRank(sorted, 50));
            o.put("p95", nearestRank(sorted, 95));
            o.put("p99", nearestRank(sorted, 99));
            o.put("max", sorted.get(sorted.size() - 1));
        });

        ObjectNode err = out.putObject("errors");
        err.put("total", errors);
        ObjectNode sev = err.putObject("bySeverity");
        SEVERITIES.forEach(v -> sev.put(v, bySeverity.getOrDefault(v, 0L)));
        ObjectNode cat = err.putObject("byCategory");
        CATEGORIES.forEach(v -> cat.put(v, byCategory.getOrDefault(v, 0L)));

        ObjectNode ev = out.putObject("events");
        ev.put("total", events);
        ObjectNode types = ev.putObject("byType");
        byType.forEach(types::put);

        ObjectNode beh = out.putObject("behavior");
        beh.put("totalTaps", taps).put("totalScrolls", scrolls).put("selectionChanges", selectionChanges);
        out.put("aggregatedAt", aggregatedAt);
        return out;
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

    private static double ratio(long part, long whole) {
        if (whole == 0) {
            return 0;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 6, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static String plain(BigDecimal v) {
        return v == null ? "0" : v.stripTrailingZeros().toPlainString();
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
