package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.BatchWriter;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import kiosk.telemetry.core.dynamo.IndexPager;

/**
 * {@code DailySummariesTable}: key {@code deviceId} + {@code date}; {@code date-index} ({@code dateShard},
 * {@code deviceId}) lists a day's summaries. A summary is one item, overwritten whole by a re-run. The only
 * code that touches this table.
 */
public final class DailySummariesTable {

    static final String DEVICE_ID = "deviceId";
    static final String DATE = "date";
    static final String DATE_SHARD = "dateShard";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String SUMMARY = "summary";

    /** The most summaries one {@link #putBatch} takes (DynamoDB's BatchWriteItem limit). */
    public static final int BATCH = BatchWriter.MAX_ITEMS;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shards;

    public DailySummariesTable(DynamoDbClient dynamo, String table, int shards) {
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
    }

    /**
     * Writes up to {@link #BATCH} summaries in one {@code BatchWriteItem}, each overwriting its device's day whole
     * (unprocessed items are sent again with backoff; a batch still unwritten then fails the run).
     */
    public void putBatch(List<ObjectNode> summaries) {
        BatchWriter.put(dynamo, table, summaries.stream().map(this::item).toList());
    }

    private Map<String, AttributeValue> item(ObjectNode summary) {
        String deviceId = summary.get(DEVICE_ID).asText();
        LocalDate date = LocalDate.parse(summary.get(DATE).asText());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DEVICE_ID, Attr.s(deviceId));
        item.put(DATE, Attr.s(date.toString()));
        item.put(DATE_SHARD, Attr.s(DayShards.keyFor(date, deviceId, shards)));
        item.put(STORE_ID, Attr.s(summary.get(STORE_ID).asText()));
        item.put(GROUP_ID, Attr.s(summary.get(GROUP_ID).asText()));
        item.put(COUNTRY, Attr.s(summary.get(COUNTRY).asText()));
        item.put(SUMMARY, Attr.s(Json.write(summary)));
        return item;
    }

    /**
     * Summaries newest date first: one device's by its key range, otherwise each date's {@code date-index}
     * shards merged by device id; store, group and country are filters on stored attributes.
     */
    public IndexPager.Result list(IndexPager pager, LocalDate from, LocalDate to,
                                                             String deviceId, String storeId, String groupId, String countryCode,
                                                             int limit, String cursor, String scope) {
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> equal = new LinkedHashMap<>();
        equal.put(STORE_ID, storeId);
        equal.put(GROUP_ID, groupId);
        equal.put(COUNTRY, countryCode);
        equal.forEach((attr, value) -> {
            if (value != null) {
                names.put("#" + attr, attr);
                values.put(":" + attr, Attr.s(value));
                conditions.add("#" + attr + " = :" + attr);
            }
        });
        var filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        if (deviceId != null) {
            var spec = new IndexPager.Spec(table, null, DEVICE_ID, DATE, List.of(DEVICE_ID, DATE),
                    List.of(List.of(deviceId)), new IndexPager.SortRange(from.toString(), to.toString()),
                    filter, true);
            return pager.page(spec, limit, cursor, scope);
        }
        List<List<String>> groups = new ArrayList<>();
        for (LocalDate d = to; !d.isBefore(from); d = d.minusDays(1)) {
            groups.add(DayShards.allKeys(d, shards));
        }
        var spec = new IndexPager.Spec(table, "date-index", DATE_SHARD, DEVICE_ID,
                List.of(DEVICE_ID, DATE, DATE_SHARD), groups, null, filter, false);
        return pager.page(spec, limit, cursor, scope);
    }

    public static JsonNode summaryOf(Map<String, AttributeValue> item) {
        return Json.readStored(Attr.str(item, SUMMARY));
    }

    public Optional<JsonNode> get(LocalDate date, String deviceId) {
        var resp = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(DEVICE_ID, Attr.s(deviceId), DATE, Attr.s(date.toString()))));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(Json.readStored(Attr.str(resp.item(), SUMMARY))) : Optional.empty();
    }
}
