package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code AggregationRunsTable}: key {@code runId}; {@code runs-index} ({@code kind} = "run", {@code startedAt})
 * lists runs newest first. A run is one item, updated as its days progress; {@code claimedUntil} says that an
 * invocation is executing it, {@code finishedAt} that it is done. The only code touching it.
 */
public final class AggregationRunsTable {

    static final String RUN_ID = "runId";
    static final String KIND = "kind";
    static final String STARTED_AT = "startedAt";
    static final String RUN = "run";
    static final String BODY = "body";
    static final String CLAIMED_UNTIL = "claimedUntil";
    static final String FINISHED_AT = "finishedAt";

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
        Map<String, String> names = new HashMap<>(Map.of("#k", KIND, "#s", STARTED_AT, "#b", BODY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", Attr.s(RUN), ":s", Attr.s(run.startedAt()),
                ":b", Attr.s(Json.write(run))));
        String update = "SET #k = :k, #s = :s, #b = :b";
        if (run.finishedAt() != null) {
            names.put("#f", FINISHED_AT);
            values.put(":f", Attr.s(run.finishedAt()));
            update += ", #f = :f";
        }
        String expression = update;
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(RUN_ID, Attr.s(run.runId()))).updateExpression(expression)
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /**
     * Claims an unfinished run for one invocation until {@code until}: true for exactly one caller while the claim
     * lasts. A claim that expired (its invocation died) can be taken again, so Lambda's retry of a crashed
     * invocation runs it, while a second delivery of a live one does not.
     */
    public boolean claim(String runId, Instant now, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(RUN_ID, Attr.s(runId)))
                    .updateExpression("SET #c = :until")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#f) AND (attribute_not_exists(#c) OR #c < :now)")
                    .expressionAttributeNames(Map.of("#c", CLAIMED_UNTIL, "#id", RUN_ID, "#f", FINISHED_AT))
                    .expressionAttributeValues(Map.of(":until", Attr.s(Timestamps.format(until)), ":now", Attr.s(Timestamps.format(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<AggregationRun> get(String runId) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(Map.of(RUN_ID, Attr.s(runId))).consistentRead(true));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(read(resp.item())) : Optional.empty();
    }

    public Page list(int limit, String cursor, String scope) {
        var spec = new IndexPager.Spec(table, "runs-index", KIND, STARTED_AT, List.of(RUN_ID, KIND, STARTED_AT),
                List.of(List.of(RUN)), null, IndexPager.Filter.none(), true);
        var page = pager.page(spec, limit, cursor, scope);
        return new Page(page.items().stream().map(AggregationRunsTable::read).toList(), page.nextCursor());
    }

    public record Page(List<AggregationRun> runs, String nextCursor) {
    }

    private static AggregationRun read(Map<String, AttributeValue> item) {
        try {
            return Json.MAPPER.readValue(Attr.str(item, BODY), new TypeReference<AggregationRun>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run is unreadable", e);
        }
    }
}
