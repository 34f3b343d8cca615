package kiosk.telemetry.performance;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.DayWalk;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.store.Index;
import kiosk.telemetry.core.store.MetricItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static kiosk.telemetry.core.store.MetricItem.BY_DAY;
import static kiosk.telemetry.core.store.MetricItem.BY_DEVICE;
import static kiosk.telemetry.core.store.MetricItem.DAY_SHARD;
import static kiosk.telemetry.core.store.MetricItem.DEVICE_ID;
import static kiosk.telemetry.core.store.MetricItem.METRIC_ID;
import static kiosk.telemetry.core.store.MetricItem.METRIC_TYPE;
import static kiosk.telemetry.core.store.MetricItem.SUCCESS;
import static kiosk.telemetry.core.store.MetricItem.TS;

/**
 * {@code MetricsTable}, items as {@link MetricItem} defines them: timings stored before the Timings table, read (never
 * written) while {@code telemetry.legacy.metrics-table} is on, until they have expired: a timing sent again is looked
 * up here by its id, and the lists read a day's timings through the old day and device indexes.
 */
@ApplicationScoped
public class LegacyMetricsTable {

    private final DynamoDbClient dynamo;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public LegacyMetricsTable(DynamoDbClient dynamo, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().metrics();
    }

    /** Whether the old table is still read. */
    public boolean inUse() {
        return config.legacy().metricsTable();
    }

    /**
     * The device of each timing stored here with one of {@code metricIds} (ids not here are left out; always empty once
     * the table is no longer read): one eventually consistent {@code BatchGetItem} per 100 ids, half a read unit each.
     */
    public Map<String, String> ownersOf(Collection<String> metricIds) {
        if (!inUse() || metricIds.isEmpty()) {
            return Map.of();
        }
        List<Map<String, AttributeValue>> keys = metricIds.stream().distinct()
                .map(id -> Map.of(METRIC_ID.name(), METRIC_ID.value(id))).toList();
        Map<String, String> owners = new HashMap<>();
        BatchReader.readOnly(dynamo, table, METRIC_ID.name(), keys, List.of(DEVICE_ID))
                .forEach(item -> owners.put(METRIC_ID.get(item), DEVICE_ID.get(item)));
        return owners;
    }

    /** Every timing stored here of one reporting day of one device (or of the fleet), optionally of one type and outcome. */
    public void dayTimings(LocalDate day, String deviceId, String metricType, Boolean success, Consumer<DayWalk.Keyed> sink) {
        if (!inUse()) {
            return;
        }
        Consumer<Map<String, AttributeValue>> keyed = item -> sink.accept(new DayWalk.Keyed(TS.get(item), item));
        if (deviceId != null) {
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", DEVICE_ID.value(deviceId),
                    ":lo", TS.value(Timestamps.format(calendar.startOf(day))), ":hi", TS.value(Timestamps.format(calendar.startOf(day.plusDays(1))))));
            query(BY_DEVICE, "#pk = :pk AND #ts BETWEEN :lo AND :hi", values, metricType, success, keyed);
        } else {
            DayShards.readEach(day, config.shards().metrics(), shard -> {
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                query(BY_DAY, "#pk = :pk", new HashMap<>(Map.of(":pk", DAY_SHARD.value(shard))), metricType, success, items::add);
                return items;
            }).forEach(keyed);
        }
    }

    private void query(Index index, String keyCondition, Map<String, AttributeValue> values, String metricType, Boolean success,
                       Consumer<Map<String, AttributeValue>> sink) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", index.partition().name()));
        if (keyCondition.contains("#ts")) {
            names.put("#ts", TS.name());
        }
        StringBuilder filter = new StringBuilder();
        if (metricType != null) {
            names.put("#t", METRIC_TYPE.name());
            values.put(":t", METRIC_TYPE.value(metricType));
            filter.append("#t = :t");
        }
        if (success != null) {
            names.put("#ok", SUCCESS.name());
            values.put(":ok", SUCCESS.value(success));
            filter.append(filter.isEmpty() ? "" : " AND ").append("#ok = :ok");
        }
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index.name()).keyConditionExpression(keyCondition)
                .expressionAttributeNames(names).expressionAttributeValues(values);
        if (!filter.isEmpty()) {
            q.filterExpression(filter.toString());
        }
        dynamo.queryPaginator(q.build()).items().forEach(sink);
    }
}
