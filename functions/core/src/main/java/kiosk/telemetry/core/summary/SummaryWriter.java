package kiosk.telemetry.core.summary;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The daily-summary shape, section by section, written the same way for a device's day ({@code DeviceDay}) and
 * for a rollup or a range ({@link SummaryTotals}): every listed key present, zeros where nothing happened,
 * amounts as exact decimal strings, maps in key order, so equal figures give equal JSON.
 */
public final class SummaryWriter {

    public static final List<String> SALE_AMOUNTS = List.of("gross", "discount", "tax", "net", "margin");
    public static final List<String> SEVERITIES = List.of("fatal", "error", "warning", "info");
    public static final List<String> CATEGORIES = List.of("hardware", "software", "network");
    public static final int HOURS = 24;

    private SummaryWriter() {
    }

    public static void sessions(ObjectNode out, long total, Map<String, Long> byStatus, long durationSum, long ended) {
        ObjectNode s = out.putObject("sessions");
        s.put("total", total);
        ObjectNode statuses = s.putObject("byStatus");
        for (SessionStatus st : SessionStatus.values()) {
            statuses.put(st.name(), byStatus.getOrDefault(st.name(), 0L));
        }
        s.put("conversionRate", ratio(byStatus.getOrDefault(SessionStatus.completed.name(), 0L), total));
        s.put("avgDurationMs", ended == 0 ? 0 : Math.round((double) durationSum / ended));
        s.put("durationMsSum", durationSum);
        s.put("ended", ended);
    }

    public static void funnel(ObjectNode out, long[] reached, long[] exitStage) {
        ObjectNode funnel = out.putObject("funnel");
        ObjectNode r = funnel.putObject("reached");
        ObjectNode x = funnel.putObject("exitStage");
        for (FunnelStage st : FunnelStage.values()) {
            r.put(st.name(), reached[st.ordinal()]);
            x.put(st.name(), exitStage[st.ordinal()]);
        }
    }

    public static void sales(ObjectNode out, long count, Map<String, Map<String, BigDecimal>> byCurrency, Map<String, Long> paymentCount,
                             Map<String, Map<String, BigDecimal>> paymentNet) {
        ObjectNode sales = out.putObject("sales");
        sales.put("count", count);
        ObjectNode cur = sales.putObject("byCurrency");
        byCurrency.forEach((c, sums) -> {
            ObjectNode o = cur.putObject(c);
            SALE_AMOUNTS.forEach(a -> o.put(a, plain(sums.get(a))));
        });
        ObjectNode pay = sales.putObject("byPaymentMethod");
        paymentCount.forEach((m, n) -> {
            ObjectNode o = pay.putObject(m);
            o.put("count", n);
            amounts(o.putObject("net"), paymentNet.get(m));
        });
    }

    public static void errors(ObjectNode out, long total, Map<String, Long> bySeverity, Map<String, Long> byCategory) {
        ObjectNode err = out.putObject("errors");
        err.put("total", total);
        ObjectNode sev = err.putObject("bySeverity");
        SEVERITIES.forEach(v -> sev.put(v, bySeverity.getOrDefault(v, 0L)));
        ObjectNode cat = err.putObject("byCategory");
        CATEGORIES.forEach(v -> cat.put(v, byCategory.getOrDefault(v, 0L)));
    }

    public static void events(ObjectNode out, long total, Map<String, Long> byType) {
        ObjectNode ev = out.putObject("events");
        ev.put("total", total);
        ObjectNode types = ev.putObject("byType");
        byType.forEach(types::put);
    }

    public static void behavior(ObjectNode out, BigInteger taps, BigInteger scrolls, BigInteger selectionChanges) {
        out.putObject("behavior").put("totalTaps", taps).put("totalScrolls", scrolls).put("selectionChanges", selectionChanges);
    }

    /** {@code byHour}: 24 hours, each with sessions, completed, net per currency ({@code {}} without sales), errors. */
    public static void byHour(ObjectNode out, long[] sessions, long[] completed, List<Map<String, BigDecimal>> net, long[] errors) {
        ArrayNode hours = out.putArray("byHour");
        for (int h = 0; h < HOURS; h++) {
            ObjectNode o = hours.addObject();
            o.put("hour", h).put("sessions", sessions[h]).put("completed", completed[h]);
            amounts(o.putObject("net"), net.get(h));
            o.put("errors", errors[h]);
        }
    }

    /** {@code experiments}: name → variant → sessions, completed ({@code counts}: {sessions, completed}) and net per currency. */
    public static void experiments(ObjectNode out, Map<String, Map<String, long[]>> counts, Map<String, Map<String, Map<String, BigDecimal>>> net) {
        ObjectNode exp = out.putObject("experiments");
        counts.forEach((name, variants) -> {
            ObjectNode e = exp.putObject(name);
            variants.forEach((variant, c) -> {
                ObjectNode o = e.putObject(variant);
                o.put("sessions", c[0]).put("completed", c[1]);
                amounts(o.putObject("net"), net.getOrDefault(name, Map.of()).getOrDefault(variant, Map.of()));
            });
        });
    }

    /** The summaries' ratio: 6 decimal places, half-even, 0 without a denominator. */
    public static double ratio(long part, long whole) {
        if (whole == 0) {
            return 0;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 6, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** An exact amount as the API writes it: no exponent, no trailing zeros; "0" for none. */
    public static String plain(BigDecimal v) {
        return v == null ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private static void amounts(ObjectNode into, Map<String, BigDecimal> amounts) {
        amounts.forEach((c, v) -> into.put(c, plain(v)));
    }
}
