package kiosk.telemetry.aggregate.insights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.TimingHistogram;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.summary.SummaryTotals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * One figure that timeseries and breakdown compute from summed summaries: {@code sessions}, {@code completed},
 * {@code conversionRate}, {@code net.<CUR>}, {@code salesCount}, {@code errors}, {@code errorsPer100Sessions},
 * {@code activeDevices} or {@code p95.<type>}. A value is a number, or null where there is nothing to divide
 * ({@code errorsPer100Sessions} without sessions, {@code p95} without timings); {@code net} is written as a
 * decimal string, {@code "0"} when empty.
 */
public record InsightMetric(String name) {

    private static final Pattern NAMES = Pattern.compile("sessions|completed|conversionRate|salesCount|errors|errorsPer100Sessions"
            + "|activeDevices|net\\.[A-Z]{3}|p95\\.[a-z_]{1,32}");

    /** The metric named {@code name}; a 400 on {@code metric} when there is none by that name. */
    public static InsightMetric parse(String name) {
        if (name == null || !NAMES.matcher(name).matches()) {
            throw Refusal.invalid("metric", "one of sessions, completed, conversionRate, net.<CUR>, salesCount, errors, "
                    + "errorsPer100Sessions, activeDevices, p95.<type>");
        }
        return new InsightMetric(name);
    }

    /** The metric's value over {@code t}, or null where it has none. */
    public BigDecimal of(SummaryTotals t) {
        return switch (name) {
            case "sessions" -> BigDecimal.valueOf(t.sessions());
            case "completed" -> BigDecimal.valueOf(t.completed());
            case "conversionRate" -> fraction(t.completed(), t.sessions());
            case "salesCount" -> BigDecimal.valueOf(t.salesCount());
            case "errors" -> BigDecimal.valueOf(t.errors());
            case "errorsPer100Sessions" -> t.sessions() == 0 ? null : per100(t.errors(), t.sessions());
            case "activeDevices" -> BigDecimal.valueOf(t.activeDevices());
            default -> {
                if (name.startsWith("net.")) {
                    yield t.net().getOrDefault(name.substring(4), BigDecimal.ZERO).stripTrailingZeros();
                }
                TimingHistogram h = t.timing(name.substring(4));
                yield h == null || h.count() == 0 ? null : BigDecimal.valueOf(h.percentile(95));
            }
        };
    }

    /** Writes {@code value} as {@code field} of {@code out}: null, a decimal string for net, else a number. */
    public void put(ObjectNode out, String field, BigDecimal value) {
        if (value == null) {
            out.putNull(field);
        } else if (name.startsWith("net.")) {
            out.put(field, value.toPlainString());
        } else {
            out.put(field, value.scale() < 0 ? value.setScale(0) : value);
        }
    }

    /** A fraction rounded half-up to 4 decimal places, written without trailing zeros; 0 without a denominator. */
    static BigDecimal fraction(long part, long whole) {
        if (whole == 0) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    /** Per 100 sessions, rounded half-up to 2 decimal places, without trailing zeros. */
    static BigDecimal per100(long count, long sessions) {
        return BigDecimal.valueOf(count * 100).divide(BigDecimal.valueOf(sessions), 2, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
