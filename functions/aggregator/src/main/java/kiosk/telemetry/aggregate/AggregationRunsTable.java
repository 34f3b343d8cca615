package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.AggregationRunItem;
import kiosk.telemetry.core.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kiosk.telemetry.core.store.AggregationRunItem.BODY;
import static kiosk.telemetry.core.store.AggregationRunItem.CLAIMED_UNTIL;
import static kiosk.telemetry.core.store.AggregationRunItem.FINISHED_AT;
import static kiosk.telemetry.core.store.AggregationRunItem.KIND;
import static kiosk.telemetry.core.store.AggregationRunItem.RUN;
import static kiosk.telemetry.core.store.AggregationRunItem.RUNS;
import static kiosk.telemetry.core.store.AggregationRunItem.RUN_ID;
import static kiosk.telemetry.core.store.AggregationRunItem.STARTED_AT;

/**
 * {@code AggregationRunsTable}, items as {@link AggregationRunItem} defines them. The only code touching it.
 */
public final class AggregationRunsTable {

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final String table;

    public AggregationRunsTable(DynamoDbClient dynamo, IndexPager pager, String table) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.table = table;
    }

    /** Writes the run's state; the claim of an executing invocation stays. */
    public void put(AggregationRun run) {
        Map<String, String> names = new HashMap<>(Map.of("#k", KIND.name(), "#s", STARTED_AT.name(), "#b", BODY.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", KIND.value(RUN), ":s", STARTED_AT.value(run.startedAt()),
                ":b", BODY.value(Json.write(run))));
        String update = "SET #k = :k, #s = :s, #b = :b";
        if (run.finishedAt() != null) {
            names.put("#f", FINISHED_AT.name());
            values.put(":f", FINISHED_AT.value(run.finishedAt()));
            update += ", #f = :f";
        }
        String expression = update;
        dynamo.updateItem(b -> b.tableName(table).key(RUN_ID.key(run.runId())).updateExpression(expression)
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /**
     * Claims an unfinished run for one invocation until {@code until}: true for exactly one caller while the claim
     * lasts. A claim that expired (its invocation died) can be taken again, so Lambda's retry of a crashed
     * invocation runs it, while a second delivery of a live one does not.
     */
    public boolean claim(String runId, Instant now, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(RUN_ID.key(runId))
                    .updateExpression("SET #c = :until")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#f) AND (attribute_not_exists(#c) OR #c < :now)")
                    .expressionAttributeNames(Map.of("#c", CLAIMED_UNTIL.name(), "#id", RUN_ID.name(), "#f", FINISHED_AT.name()))
                    .expressionAttributeValues(Map.of(":until", CLAIMED_UNTIL.value(until), ":now", CLAIMED_UNTIL.value(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<AggregationRun> get(String runId) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(RUN_ID.key(runId)).consistentRead(true));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(read(resp.item())) : Optional.empty();
    }

    public Page list(int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, RUN_ID).byPartition(RUNS, RUN).spec();
        var page = pager.page(spec, limit, cursor, scope);
        return new Page(page.items().stream().map(AggregationRunsTable::read).toList(), page.nextCursor());
    }

    public record Page(List<AggregationRun> runs, String nextCursor) {
    }

    private static AggregationRun read(Map<String, AttributeValue> item) {
        try {
            return Json.MAPPER.readValue(BODY.get(item), new TypeReference<AggregationRun>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run is unreadable", e);
        }
    }
}
