package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.BatchWriter;

import static kiosk.telemetry.core.store.DailyRollupItem.BY_DATE;
import static kiosk.telemetry.core.store.DailyRollupItem.DATE;
import static kiosk.telemetry.core.store.DailyRollupItem.ROLLUP;
import static kiosk.telemetry.core.store.DailyRollupItem.SCOPE;
import static kiosk.telemetry.core.store.DailyRollupItem.SCOPE_ID;
import static kiosk.telemetry.core.store.DailyRollupItem.SCOPE_TYPE;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DailyRollupsTable}: key {@code scope} ({@code fleet}, {@code store#<id>}, {@code group#<id>},
 * {@code country#<code>}) + {@code date}; {@code date-index} ({@code date}, {@code scope}) lists a day's
 * rollups. One item per (scope, date) holding the rollup JSON, replaced whole by a re-run. The only code that
 * touches this table.
 */
public final class DailyRollupsTable {

    private final DynamoDbClient dynamo;
    private final String table;

    public DailyRollupsTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Makes {@code rollups} the day's rollups: writes each (overwriting its scope's), then deletes the day's
     * rollups of scopes that no longer have one (a device moved to another store since the last run). A reader
     * sees, per scope, the old rollup or the new one.
     */
    public void replaceDay(LocalDate date, List<ObjectNode> rollups) {
        Set<String> kept = new HashSet<>();
        for (ObjectNode r : rollups) {
            kept.add(Rollups.scopeOf(r).key());
        }
        Set<String> before = scopesOf(date);
        BatchWriter.putAll(dynamo, table, rollups.stream().map(this::item).toList());
        BatchWriter.deleteAll(dynamo, table, before.stream().filter(scope -> !kept.contains(scope)).sorted()
                .map(scope -> SCOPE.key(scope, DATE, date)).toList());
    }

    public Optional<JsonNode> get(LocalDate date, Rollups.Scope scope) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(SCOPE.key(scope.key(), DATE, date)));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(ROLLUP.get(resp.item())) : Optional.empty();
    }

    /** One scope's rollups from {@code from} to {@code to} inclusive, oldest first: one Query (paged). */
    public List<JsonNode> range(Rollups.Scope scope, LocalDate from, LocalDate to) {
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#s = :s AND #d BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#s", SCOPE.name(), "#d", DATE.name()))
                        .expressionAttributeValues(Map.of(":s", SCOPE.value(scope.key()), ":from", DATE.value(from), ":to", DATE.value(to))))
                .items().stream().map(ROLLUP::get).toList();
    }

    /** The day's rollups of every scope of one kind (every store's, say), by the {@code date-index}: one Query (paged). */
    public List<JsonNode> day(LocalDate date, Rollups.ScopeType type) {
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_DATE.name())
                        .keyConditionExpression("#d = :d AND begins_with(#s, :kind)")
                        .expressionAttributeNames(Map.of("#d", DATE.name(), "#s", SCOPE.name()))
                        .expressionAttributeValues(Map.of(":d", DATE.value(date), ":kind", SCOPE.value(new Rollups.Scope(type, "").key()))))
                .items().stream().map(ROLLUP::get).toList();
    }

    private Set<String> scopesOf(LocalDate date) {
        Set<String> scopes = new HashSet<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_DATE.name())
                        .keyConditionExpression("#d = :d").expressionAttributeNames(Map.of("#d", DATE.name(), "#s", SCOPE.name()))
                        .expressionAttributeValues(Map.of(":d", DATE.value(date))).projectionExpression("#s"))
                .items().forEach(it -> scopes.add(SCOPE.get(it)));
        return scopes;
    }

    private Map<String, AttributeValue> item(ObjectNode rollup) {
        Rollups.Scope scope = Rollups.scopeOf(rollup);
        Map<String, AttributeValue> item = new HashMap<>();
        SCOPE.put(item, scope.key());
        DATE.put(item, Rollups.dateOf(rollup));
        SCOPE_TYPE.put(item, scope.type().name());
        if (scope.type() != Rollups.ScopeType.fleet) {
            SCOPE_ID.put(item, scope.id());
        }
        ROLLUP.put(item, rollup);
        return item;
    }
}
