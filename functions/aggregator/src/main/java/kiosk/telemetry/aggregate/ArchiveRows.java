package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.store.DailyRollupItem;
import kiosk.telemetry.core.store.DailySummaryItem;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Summaries and rollups as archive rows: text fields as they are, nested sections as their JSON text. */
final class ArchiveRows {

    private ArchiveRows() {
    }

    /**
     * A device's summary as a {@code daily_summary} row, with its typed figures ({@link DailySummaryItem#FIGURE_COLUMNS})
     * copied out of the sections they belong to.
     */
    static Map<String, AttributeValue> summary(ObjectNode summary) {
        Map<String, AttributeValue> row = nested(summary);
        JsonNode sessions = summary.path("sessions");
        row.put(DailySummaryItem.SESSIONS_TOTAL.source(), count(sessions.path("total")));
        DailySummaryItem.SESSIONS_BY_STATUS.forEach((status, column) ->
                row.put(column.source(), count(sessions.path("byStatus").path(status.name()))));
        JsonNode rate = sessions.path("conversionRate");
        if (!rate.isNumber()) {
            throw new IllegalStateException("a summary's conversionRate that is not a number: " + rate);
        }
        row.put(DailySummaryItem.CONVERSION_RATE.source(), AttributeValue.fromN(Double.toString(rate.doubleValue())));
        Map<String, AttributeValue> net = new TreeMap<>();
        summary.path("sales").path("byCurrency").fields().forEachRemaining(c ->
                net.put(c.getKey(), AttributeValue.fromN(c.getValue().path("net").asText())));
        row.put(DailySummaryItem.NET.source(), AttributeValue.fromM(net));
        return row;
    }

    /** A rollup as a {@code daily_rollup} row: its scope as scope type and id (none for the fleet). */
    static Map<String, AttributeValue> rollup(ObjectNode rollup) {
        Map<String, AttributeValue> row = nested(rollup);
        Rollups.Scope scope = Rollups.scopeOf(rollup);
        row.remove(DailyRollupItem.SCOPE.name());
        DailyRollupItem.SCOPE_TYPE.put(row, scope.type().name());
        if (scope.type() != Rollups.ScopeType.fleet) {
            DailyRollupItem.SCOPE_ID.put(row, scope.id());
        }
        return row;
    }

    private static Map<String, AttributeValue> nested(ObjectNode summary) {
        Map<String, AttributeValue> row = new HashMap<>();
        summary.fields().forEachRemaining(f -> row.put(f.getKey(),
                f.getValue().isTextual() ? AttributeValue.fromS(f.getValue().asText()) : AttributeValue.fromS(Json.write(f.getValue()))));
        return row;
    }

    private static AttributeValue count(JsonNode n) {
        if (!n.canConvertToExactIntegral()) {
            throw new IllegalStateException("a summary count that is not a whole number: " + n);
        }
        return AttributeValue.fromN(Long.toString(n.longValue()));
    }
}
