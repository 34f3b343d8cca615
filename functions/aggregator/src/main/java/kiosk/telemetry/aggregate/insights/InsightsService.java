package kiosk.telemetry.aggregate.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.DailyRollupsTable;
import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.summary.SummaryTotals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.WeekFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The insights read from rollups (docs/insights.md has every formula): one Query of the scope's rollups for the
 * range, summed with {@link SummaryTotals}. A day not yet rolled up counts as empty. Plain class.
 */
public final class InsightsService {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final DailyRollupsTable rollups;
    private final RegisteredDevices registered;

    public InsightsService(DailyRollupsTable rollups, RegisteredDevices registered) {
        this.rollups = rollups;
        this.registered = registered;
    }

    /**
     * The range's figures of the scope: devices (reporting and active distinct over the range, registered now),
     * sessions, funnel reach and drop-off, sales, errors and timings, each recomputed from the summed rollups.
     */
    public ObjectNode overview(InsightQuery q) {
        SummaryTotals totals = new SummaryTotals();
        rollups.range(q.scope(), q.from(), q.to()).forEach(totals::addRollup);
        JsonNode sum = totals.toJson();
        long sessions = totals.sessions();

        ObjectNode out = F.objectNode();
        out.put("from", q.from().toString()).put("to", q.to().toString());
        out.set("scope", q.scope().json());
        out.putObject("devices").put("reporting", totals.reportingDevices()).put("active", totals.activeDevices())
                .put("registered", registered.in(q.scope()));

        sessions(out, totals, sum);

        ObjectNode funnel = out.putObject("funnel");
        JsonNode reached = sum.at("/funnel/reached");
        funnel.set("reached", reached);
        ObjectNode dropOff = funnel.putObject("dropOff");
        FunnelStage[] stages = FunnelStage.values();
        for (int i = 0; i + 1 < stages.length; i++) {
            long here = reached.path(stages[i].name()).asLong();
            long next = reached.path(stages[i + 1].name()).asLong();
            dropOff.put(stages[i].name(), fraction(here - next, here));
        }

        salesAndErrors(out, totals, sum);

        ObjectNode perf = out.putObject("performance");
        sum.path("performance").fields().forEachRemaining(e -> {
            JsonNode t = e.getValue();
            perf.putObject(e.getKey()).put("count", t.get("count").asLong())
                    .put("successRate", fraction(t.get("successes").asLong(), t.get("count").asLong()))
                    .put("p50", t.get("p50").asLong()).put("p95", t.get("p95").asLong()).put("p99", t.get("p99").asLong());
        });
        return out;
    }

    /** The overview's {@code sessions}: total, by status, conversion rate and average duration of the ended ones. */
    static void sessions(ObjectNode out, SummaryTotals totals, JsonNode sum) {
        ObjectNode s = out.putObject("sessions");
        s.put("total", totals.sessions());
        s.set("byStatus", sum.at("/sessions/byStatus"));
        s.put("conversionRate", fraction(totals.completed(), totals.sessions()));
        s.put("avgDurationMs", sum.at("/sessions/avgDurationMs").asLong());
    }

    /** The overview's {@code sales} (with net per session) and {@code errors} (with errors per 100 sessions). */
    static void salesAndErrors(ObjectNode out, SummaryTotals totals, JsonNode sum) {
        long sessions = totals.sessions();
        ObjectNode sales = out.putObject("sales");
        sales.put("count", totals.salesCount());
        sales.set("byCurrency", sum.at("/sales/byCurrency"));
        sales.set("byPaymentMethod", sum.at("/sales/byPaymentMethod"));
        ObjectNode nps = sales.putObject("netPerSession");
        totals.net().forEach((currency, net) -> nps.put(currency, perSession(net, sessions)));

        ObjectNode errors = out.putObject("errors");
        errors.put("total", totals.errors());
        if (sessions == 0) {
            errors.putNull("per100Sessions");
        } else {
            errors.put("per100Sessions", per100(totals.errors(), sessions));
        }
        errors.set("bySeverity", sum.at("/errors/bySeverity"));
        errors.set("byCategory", sum.at("/errors/byCategory"));
    }

    /** {@code byHour} summed over the range, and sessions by ISO weekday (Monday first) and hour. */
    public ObjectNode hourly(InsightQuery q) {
        List<JsonNode> days = rollups.range(q.scope(), q.from(), q.to());
        SummaryTotals totals = new SummaryTotals();
        long[][] weekdayHour = new long[7][24];
        for (JsonNode day : days) {
            totals.addRollup(day);
            int weekday = LocalDate.parse(day.get("date").asText()).getDayOfWeek().getValue() - 1;
            for (JsonNode h : day.path("byHour")) {
                weekdayHour[weekday][h.get("hour").asInt()] += h.path("sessions").asLong();
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode hours = out.putArray("byHour");
        for (JsonNode h : totals.toJson().get("byHour")) {
            ObjectNode o = hours.addObject();
            long sessions = h.get("sessions").asLong();
            long completed = h.get("completed").asLong();
            o.put("hour", h.get("hour").asInt()).put("sessions", sessions).put("completed", completed)
                    .put("conversionRate", fraction(completed, sessions));
            o.set("net", h.get("net"));
            o.put("errors", h.get("errors").asLong());
        }
        ArrayNode week = out.putArray("byWeekdayHour");
        for (long[] day : weekdayHour) {
            ArrayNode row = week.addArray();
            for (long n : day) {
                row.add(n);
            }
        }
        return out;
    }

    /** Every experiment (or the one named), its variants against the control: Wilson interval, uplift, z-test p-value. */
    public ObjectNode experiments(InsightQuery q, String name) {
        SummaryTotals totals = new SummaryTotals();
        rollups.range(q.scope(), q.from(), q.to()).forEach(totals::addRollup);
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("experiments");
        totals.experimentCounts().forEach((experiment, variants) -> {
            if (name != null && !name.equals(experiment)) {
                return;
            }
            String control = variants.containsKey("control") ? "control" : variants.containsKey("A") ? "A" : variants.keySet().iterator().next();
            long[] c = variants.get(control);
            List<String> order = new ArrayList<>();
            order.add(control);
            variants.keySet().stream().filter(v -> !v.equals(control)).forEach(order::add);
            ObjectNode e = list.addObject();
            e.put("name", experiment).put("control", control);
            ArrayNode vs = e.putArray("variants");
            for (String variant : order) {
                long[] v = variants.get(variant);
                ObjectNode o = vs.addObject();
                o.put("variant", variant).put("sessions", v[0]).put("completed", v[1]).put("conversionRate", fraction(v[1], v[0]));
                double[] ci = Proportions.wilson(v[1], v[0], Proportions.Z95);
                o.putArray("ci95").add(round4(ci[0])).add(round4(ci[1]));
                ObjectNode nps = o.putObject("netPerSession");
                totals.experimentNet().get(experiment).get(variant).forEach((cur, net) -> nps.put(cur, perSession(net, v[0])));
                if (!variant.equals(control)) {
                    double uplift = rate(v[1], v[0]) - rate(c[1], c[0]);
                    o.put("uplift", round4(uplift));
                    o.put("pValue", new BigDecimal(Proportions.twoSidedPValue(c[1], c[0], v[1], v[0])).round(new MathContext(4, RoundingMode.HALF_UP)));
                }
            }
        });
        return out;
    }

    /** One metric per day, ISO week or month that overlaps the range, oldest first; only days inside the range count. */
    public ObjectNode timeseries(InsightQuery q, String metric, String interval) {
        InsightMetric m = InsightMetric.parse(metric);
        String every = interval == null || interval.isEmpty() ? "day" : interval;
        if (!List.of("day", "week", "month").contains(every)) {
            throw Refusal.invalid("interval", "day, week or month");
        }
        Map<LocalDate, SummaryTotals> points = new LinkedHashMap<>();
        for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
            points.computeIfAbsent(start(d, every), k -> new SummaryTotals());
        }
        for (JsonNode day : rollups.range(q.scope(), q.from(), q.to())) {
            points.get(start(LocalDate.parse(day.get("date").asText()), every)).addRollup(day);
        }
        ObjectNode out = F.objectNode();
        out.put("metric", metric).put("interval", every);
        ArrayNode list = out.putArray("points");
        points.forEach((start, t) -> {
            ObjectNode p = list.addObject();
            p.put("start", start.toString());
            m.put(p, "value", m.of(t));
        });
        return out;
    }

    private static LocalDate start(LocalDate d, String every) {
        return switch (every) {
            case "week" -> d.with(WeekFields.ISO.dayOfWeek(), DayOfWeek.MONDAY.getValue());
            case "month" -> d.with(TemporalAdjusters.firstDayOfMonth());
            default -> d;
        };
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static BigDecimal fraction(long part, long whole) {
        return InsightMetric.fraction(part, whole);
    }

    private static BigDecimal per100(long count, long sessions) {
        return InsightMetric.per100(count, sessions);
    }

    private static BigDecimal round4(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static String perSession(BigDecimal net, long sessions) {
        return sessions == 0 ? "0" : plain(net.divide(BigDecimal.valueOf(sessions), 2, RoundingMode.HALF_UP));
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

}
