package kiosk.telemetry.aggregate.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.DailyRollupsTable;
import kiosk.telemetry.aggregate.DailySummariesTable;
import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.page.CursorCodec;
import kiosk.telemetry.core.page.InvalidCursorException;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.summary.SummaryTotals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/insights/breakdown}: one metric per store, group or country (from each day's rollups of that kind),
 * or per device of one store or group (from those devices' summaries), ranked. Keys without records in the range are
 * absent. The ranking is computed whole on each request and paged by position, so a cursor is the rank to go on from.
 */
public final class Breakdown {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** What a breakdown ranks: rollups of one scope kind, or the devices of one store or group. */
    public enum By {
        store(Rollups.ScopeType.store), group(Rollups.ScopeType.group), country(Rollups.ScopeType.country), device(null);

        private final Rollups.ScopeType rollups;

        By(Rollups.ScopeType rollups) {
            this.rollups = rollups;
        }
    }

    /** One ranked key: its metric value (null when it has none) and its sessions. */
    record Row(String key, BigDecimal value, long sessions) {
    }

    private final DailyRollupsTable rollups;
    private final DailySummariesTable summaries;
    private final DevicesTable devices;
    private final Executor readers;

    public Breakdown(DailyRollupsTable rollups, DailySummariesTable summaries, DevicesTable devices, Executor readers) {
        this.rollups = rollups;
        this.summaries = summaries;
        this.devices = devices;
        this.readers = readers;
    }

    /**
     * The page of the ranking that {@code cursor} points to ({@code limit} rows, default {@value #DEFAULT_LIMIT}):
     * every parameter is checked before anything is read.
     */
    public ObjectNode rank(InsightQuery q, String byName, String metricName, String orderName, String limitText, String cursor) {
        By by = by(byName, q.scope());
        InsightMetric metric = InsightMetric.parse(metricName);
        boolean ascending = ascending(orderName);
        int limit = ListQuery.on("insights/breakdown").limit(limitText, DEFAULT_LIMIT, MAX_LIMIT).build().limit();
        String bound = "insights/breakdown|" + by + "|" + metric.name() + "|" + (ascending ? "asc" : "desc") + "|" + q.from() + "|" + q.to()
                + "|" + q.scope().key();
        int start = cursor == null || cursor.isEmpty() ? 0 : position(bound, cursor);

        Map<String, SummaryTotals> totals = by == By.device ? byDevice(q) : byScope(q, by.rollups);
        List<Row> rows = new ArrayList<>(totals.size());
        totals.forEach((key, t) -> rows.add(new Row(key, metric.of(t), t.sessions())));
        Comparator<BigDecimal> values = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
        rows.sort(Comparator.comparing(Row::value, Comparator.nullsLast(values)).thenComparing(Row::key));

        ObjectNode out = F.objectNode();
        ArrayNode items = out.putArray("items");
        if (start > rows.size()) {
            throw new InvalidCursorException();
        }
        int end = (int) Math.min(rows.size(), (long) start + limit);
        for (Row r : rows.subList(start, end)) {
            ObjectNode item = items.addObject().put("key", r.key());
            metric.put(item, "value", r.value());
            item.put("sessions", r.sessions());
        }
        if (end < rows.size()) {
            out.put("nextCursor", CursorCodec.encode(bound, F.objectNode().put("rank", end)));
        } else {
            out.putNull("nextCursor");
        }
        return out;
    }

    /** Each store's (group's, country's) rollups of the range summed: one Query of the day's rollups of that kind per day. */
    private Map<String, SummaryTotals> byScope(InsightQuery q, Rollups.ScopeType type) {
        Map<String, SummaryTotals> totals = new TreeMap<>();
        for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
            for (JsonNode rollup : rollups.day(d, type)) {
                totals.computeIfAbsent(Rollups.scopeOf(rollup).id(), k -> new SummaryTotals()).addRollup(rollup);
            }
        }
        return totals;
    }

    /**
     * Each device's summaries of the range summed, for the devices registered in the store or group now: one Query of
     * each device's key range (in parallel), keeping only the days its summary puts it in the scope.
     */
    private Map<String, SummaryTotals> byDevice(InsightQuery q) {
        Rollups.Scope scope = q.scope();
        List<String> ids = scope.type() == Rollups.ScopeType.store ? devices.idsIn(scope.id(), null) : devices.idsIn(null, scope.id());
        List<CompletableFuture<Map.Entry<String, SummaryTotals>>> reads = new ArrayList<>(ids.size());
        for (String id : ids) {
            reads.add(CompletableFuture.supplyAsync(() -> {
                SummaryTotals t = null;
                for (JsonNode summary : summaries.range(id, q.from(), q.to())) {
                    if (scope.id().equals(summary.path(scope.type().field()).asText())) {
                        if (t == null) {
                            t = new SummaryTotals();
                        }
                        t.addDeviceSummary(summary);
                    }
                }
                return t == null ? null : Map.entry(id, t);
            }, readers));
        }
        Map<String, SummaryTotals> totals = new TreeMap<>();
        for (var read : reads) {
            Map.Entry<String, SummaryTotals> e;
            try {
                e = read.join();
            } catch (CompletionException failed) {
                // the read's own exception (a throttled Query is a 503), not the wrapper
                throw failed.getCause() instanceof RuntimeException r ? r : failed;
            }
            if (e != null) {
                totals.put(e.getKey(), e.getValue());
            }
        }
        return totals;
    }

    private static By by(String name, Rollups.Scope scope) {
        By by;
        try {
            by = By.valueOf(name == null ? "" : name);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("by", "one of store, group, country, device");
        }
        if (by == By.device) {
            if (scope.type() != Rollups.ScopeType.store && scope.type() != Rollups.ScopeType.group) {
                throw Refusal.invalid(scope.type() == Rollups.ScopeType.country ? "countryCode" : "by",
                        "by=device needs exactly one storeId or groupId");
            }
        } else if (scope.type() != Rollups.ScopeType.fleet) {
            throw Refusal.invalid(scope.type().field(), "by=" + by + " ranks the whole fleet: give no storeId, groupId or countryCode");
        }
        return by;
    }

    private static boolean ascending(String order) {
        if (order == null || order.isEmpty() || order.equals("desc")) {
            return false;
        }
        if (order.equals("asc")) {
            return true;
        }
        throw Refusal.invalid("order", "desc or asc");
    }

    private static int position(String bound, String cursor) {
        JsonNode state = CursorCodec.decode(bound, cursor);
        JsonNode rank = state.path("rank");
        if (!rank.canConvertToInt() || !rank.isIntegralNumber() || rank.intValue() < 1) {
            throw new InvalidCursorException();
        }
        return rank.intValue();
    }
}
