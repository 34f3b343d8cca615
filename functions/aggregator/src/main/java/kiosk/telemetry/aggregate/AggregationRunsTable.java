package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code AggregationRunsTable}: key {@code runId}; {@code runs-index} ({@code kind} = "run", {@code startedAt})
 * lists runs newest first. A run is one item, rewritten as its days progress. The only code touching it.
 */
public final class AggregationRunsTable {

    static final String RUN_ID = "runId";
    static final String KIND = "kind";
    static final String STARTED_AT = "startedAt";
    static final String RUN = "run";
    static final String BODY = "body";

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final String table;

    public AggregationRunsTable(DynamoDbClient dynamo, IndexPager pager, String table) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.table = table;
    }

    public void put(AggregationRun run) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(RUN_ID, Attr.s(run.runId()));
        item.put(KIND, Attr.s(RUN));
        item.put(STARTED_AT, Attr.s(run.startedAt()));
        item.put(BODY, Attr.s(Json.write(run)));
        dynamo.putItem(b -> b.tableName(table).item(item));
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
