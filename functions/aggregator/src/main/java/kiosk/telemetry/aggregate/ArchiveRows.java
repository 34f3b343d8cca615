package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.store.DailyRollupItem;
import kiosk.telemetry.core.store.DailySummaryItem;
import kiosk.telemetry.core.summary.SummaryFigures;
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
     * copied out of the sections they belong to ({@link SummaryFigures}).
     */
    static Map<String, AttributeValue> summary(ObjectNode summary) {
        Map<String, AttributeValue> row = nested(summary);
        SummaryFigures figures = SummaryFigures.of(summary);
        row.put(DailySummaryItem.SESSIONS_TOTAL.source(), whole(figures.sessions()));
        DailySummaryItem.SESSIONS_BY_STATUS.forEach((status, column) -> row.put(column.source(), whole(figures.byStatus().get(status))));
        row.put(DailySummaryItem.CONVERSION_RATE.source(), AttributeValue.fromN(Double.toString(figures.conversionRate())));
        Map<String, AttributeValue> net = new TreeMap<>();
        figures.net().forEach((currency, amount) -> net.put(currency, AttributeValue.fromN(amount.toPlainString())));
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

    private static AttributeValue whole(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
