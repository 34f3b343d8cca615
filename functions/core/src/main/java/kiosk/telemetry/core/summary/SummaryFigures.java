package kiosk.telemetry.core.summary;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.domain.SessionStatus;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one daily summary that the archive also keeps as typed columns: the sessions, their count per status,
 * the conversion rate as the summary holds it (6 decimals) and the net sales per currency (empty without sales).
 */
public record SummaryFigures(long sessions, Map<SessionStatus, Long> byStatus, double conversionRate, Map<String, BigDecimal> net) {

    /** The figures of {@code summary}; a count that is not a whole number, or a rate that is not a number, is refused. */
    public static SummaryFigures of(JsonNode summary) {
        JsonNode s = summary.path("sessions");
        Map<SessionStatus, Long> byStatus = new EnumMap<>(SessionStatus.class);
        for (SessionStatus st : SessionStatus.values()) {
            byStatus.put(st, count(s.path("byStatus").path(st.name()), "sessions.byStatus." + st.name()));
        }
        JsonNode rate = s.path("conversionRate");
        if (!rate.isNumber()) {
            throw new IllegalArgumentException("a summary's sessions.conversionRate that is not a number: " + rate);
        }
        Map<String, BigDecimal> net = new TreeMap<>();
        summary.path("sales").path("byCurrency").fields().forEachRemaining(c ->
                net.put(c.getKey(), new BigDecimal(c.getValue().path("net").asText())));
        return new SummaryFigures(count(s.path("total"), "sessions.total"), Collections.unmodifiableMap(byStatus), rate.doubleValue(),
                Collections.unmodifiableMap(net));
    }

    private static long count(JsonNode n, String what) {
        if (!n.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("a summary's " + what + " that is not a whole number: " + n);
        }
        return n.longValue();
    }
}
