package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.BatchWriter;
import kiosk.telemetry.core.dynamo.DayShards;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.DailySummaryItem;
import kiosk.telemetry.core.store.Index;

import static kiosk.telemetry.core.store.DailySummaryItem.BY_DATE;
import static kiosk.telemetry.core.store.DailySummaryItem.COUNTRY;
import static kiosk.telemetry.core.store.DailySummaryItem.DATE;
import static kiosk.telemetry.core.store.DailySummaryItem.DATE_SHARD;
import static kiosk.telemetry.core.store.DailySummaryItem.DEVICE_ID;
import static kiosk.telemetry.core.store.DailySummaryItem.GROUP_ID;
import static kiosk.telemetry.core.store.DailySummaryItem.STORE_ID;
import static kiosk.telemetry.core.store.DailySummaryItem.SUMMARY;

/**
 * {@code DailySummariesTable}, items as {@link DailySummaryItem} defines them: a summary is one item, overwritten
 * whole by a re-run. The only code that touches this table.
 */
public final class DailySummariesTable {

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
        var of = SummaryIdentity.of(summary);
        Map<String, AttributeValue> item = new HashMap<>();
        DEVICE_ID.put(item, of.deviceId());
        DATE.put(item, of.date());
        DATE_SHARD.put(item, DailySummaryItem.dateShard(of.date(), of.deviceId(), shards));
        STORE_ID.put(item, of.storeId());
        GROUP_ID.put(item, of.groupId());
        COUNTRY.put(item, of.countryCode());
        SUMMARY.put(item, summary);
        return item;
    }

    /**
     * Summaries newest date first: one device's by its key range, otherwise each date's {@code date-index}
     * shards merged by device id; store, group and country are filters on stored attributes.
     */
    public IndexPager.Result list(IndexPager pager, LocalDate from, LocalDate to,
                                  String deviceId, String storeId, String groupId, String countryCode,
                                  int limit, String cursor, String scope) {
        List<List<String>> dates = new ArrayList<>();
        for (LocalDate d = to; !d.isBefore(from); d = d.minusDays(1)) {
            dates.add(DayShards.allKeys(d, shards));
        }
        var plan = ListPlan.on(table, DEVICE_ID, DATE)
                .byPartition(Index.tableKey(DEVICE_ID, DATE), deviceId)
                .byGroups(BY_DATE, dates)
                .whereEqual(STORE_ID, storeId)
                .whereEqual(GROUP_ID, groupId)
                .whereEqual(COUNTRY, countryCode);
        if (deviceId != null) {
            plan.between(from.toString(), to.toString());
        } else {
            plan.oldestFirst();
        }
        return pager.page(plan.spec(), limit, cursor, scope);
    }

    /** One device's summaries from {@code from} to {@code to} inclusive, oldest first: one Query of its key range (paged). */
    public List<JsonNode> range(String deviceId, LocalDate from, LocalDate to) {
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#k = :k AND #d BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#k", DEVICE_ID.name(), "#d", DATE.name()))
                        .expressionAttributeValues(Map.of(":k", DEVICE_ID.value(deviceId), ":from", DATE.value(from), ":to", DATE.value(to))))
                .items().stream().map(SUMMARY::get).toList();
    }

    public static JsonNode summaryOf(Map<String, AttributeValue> item) {
        return SUMMARY.get(item);
    }

    public Optional<JsonNode> get(LocalDate date, String deviceId) {
        var resp = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(DEVICE_ID.key(deviceId, DATE, date)));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(SUMMARY.get(resp.item())) : Optional.empty();
    }
}
