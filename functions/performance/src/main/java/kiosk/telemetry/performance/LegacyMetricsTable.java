package kiosk.telemetry.performance;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.MetricItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static kiosk.telemetry.core.store.MetricItem.BREAKDOWN;
import static kiosk.telemetry.core.store.MetricItem.BY_DAY;
import static kiosk.telemetry.core.store.MetricItem.BY_DEVICE;
import static kiosk.telemetry.core.store.MetricItem.CONTEXT;
import static kiosk.telemetry.core.store.MetricItem.COUNTRY;
import static kiosk.telemetry.core.store.MetricItem.DAY;
import static kiosk.telemetry.core.store.MetricItem.DAY_SHARD;
import static kiosk.telemetry.core.store.MetricItem.DEVICE_ID;
import static kiosk.telemetry.core.store.MetricItem.DURATION_MS;
import static kiosk.telemetry.core.store.MetricItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.MetricItem.GROUP_ID;
import static kiosk.telemetry.core.store.MetricItem.METRIC_ID;
import static kiosk.telemetry.core.store.MetricItem.METRIC_TYPE;
import static kiosk.telemetry.core.store.MetricItem.RECEIVED_AT;
import static kiosk.telemetry.core.store.MetricItem.SESSION_ID;
import static kiosk.telemetry.core.store.MetricItem.STORE_ID;
import static kiosk.telemetry.core.store.MetricItem.SUCCESS;
import static kiosk.telemetry.core.store.MetricItem.TIMESTAMP;
import static kiosk.telemetry.core.store.MetricItem.TS;

/**
 * {@code MetricsTable}, items as {@link MetricItem} defines them. The only code that writes this table.
 */
@ApplicationScoped
public class MetricsTable {

    /** New, or the owner of the stored metric with that id. */
    public record PutOutcome(boolean created, String ownerDeviceId) {
    }

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public MetricsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().metrics();
    }

    public PutOutcome put(Metric m) {
        LocalDate day = calendar.dayOf(m.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        METRIC_ID.put(item, m.metricId());
        SESSION_ID.put(item, m.sessionId());
        DEVICE_ID.put(item, m.deviceId());
        STORE_ID.put(item, m.storeId());
        GROUP_ID.put(item, m.groupId());
        COUNTRY.put(item, m.countryCode());
        METRIC_TYPE.put(item, m.metricType());
        TIMESTAMP.put(item, m.timestamp());
        DURATION_MS.put(item, m.durationMs());
        SUCCESS.put(item, m.success());
        BREAKDOWN.put(item, m.breakdown());
        CONTEXT.put(item, m.context());
        DAY.put(item, day);
        DAY_SHARD.put(item, MetricItem.dayShard(day, m.sessionId(), m.metricId(), config.shards().metrics()));
        TS.put(item, MetricItem.sortKey(m.timestamp(), m.metricId()));
        RECEIVED_AT.put(item, m.receivedAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", METRIC_ID.name()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new PutOutcome(true, m.deviceId());
        } catch (ConditionalCheckFailedException e) {
            return new PutOutcome(false, e.hasItem() ? DEVICE_ID.get(e.item()) : null);
        }
    }

    public IndexPager.Result list(String deviceId, String metricType, Boolean success, Instant from, Instant to,
                                  List<LocalDate> daysNewestFirst, int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, METRIC_ID)
                .byPartition(BY_DEVICE, deviceId)
                .byDays(BY_DAY, daysNewestFirst, config.shards().metrics())
                .whereEqual(METRIC_TYPE, metricType)
                .whereEqual(SUCCESS, success)
                .between(from, to)
                .spec();
        return pager.page(spec, limit, cursor, scope);
    }

    public static MetricView view(Map<String, AttributeValue> item) {
        return new MetricView(METRIC_ID.get(item), SESSION_ID.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item),
                COUNTRY.get(item), METRIC_TYPE.get(item), TIMESTAMP.storedText(item), DURATION_MS.get(item),
                SUCCESS.get(item, false), BREAKDOWN.get(item), CONTEXT.get(item), RECEIVED_AT.storedText(item));
    }
}
