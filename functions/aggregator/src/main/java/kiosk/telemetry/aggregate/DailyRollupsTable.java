package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.BatchWriter;
import kiosk.telemetry.core.json.Json;
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

    static final String SCOPE = "scope";
    static final String DATE = "date";
    static final String SCOPE_TYPE = "scopeType";
    static final String SCOPE_ID = "scopeId";
    static final String ROLLUP = "rollup";
    static final String DATE_INDEX = "date-index";

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
                .map(scope -> Map.of(SCOPE, Attr.s(scope), DATE, Attr.s(date.toString()))).toList());
    }

    public Optional<JsonNode> get(LocalDate date, Rollups.Scope scope) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(Map.of(SCOPE, Attr.s(scope.key()), DATE, Attr.s(date.toString()))));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(Json.readStored(Attr.str(resp.item(), ROLLUP))) : Optional.empty();
    }

    /** One scope's rollups from {@code from} to {@code to} inclusive, oldest first: one Query (paged). */
    public List<JsonNode> range(Rollups.Scope scope, LocalDate from, LocalDate to) {
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#s = :s AND #d BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#s", SCOPE, "#d", DATE))
                        .expressionAttributeValues(Map.of(":s", Attr.s(scope.key()), ":from", Attr.s(from.toString()), ":to", Attr.s(to.toString()))))
                .items().stream().map(it -> Json.readStored(Attr.str(it, ROLLUP))).toList();
    }

    private Set<String> scopesOf(LocalDate date) {
        Set<String> scopes = new HashSet<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(DATE_INDEX)
                        .keyConditionExpression("#d = :d").expressionAttributeNames(Map.of("#d", DATE, "#s", SCOPE))
                        .expressionAttributeValues(Map.of(":d", Attr.s(date.toString()))).projectionExpression("#s"))
                .items().forEach(it -> scopes.add(Attr.str(it, SCOPE)));
        return scopes;
    }

    private Map<String, AttributeValue> item(ObjectNode rollup) {
        Rollups.Scope scope = Rollups.scopeOf(rollup);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(SCOPE, Attr.s(scope.key()));
        item.put(DATE, Attr.s(rollup.get(DATE).asText()));
        item.put(SCOPE_TYPE, Attr.s(scope.type().name()));
        if (scope.type() != Rollups.ScopeType.fleet) {
            item.put(SCOPE_ID, Attr.s(scope.id()));
        }
        item.put(ROLLUP, Attr.s(Json.write(rollup)));
        return item;
    }
}
