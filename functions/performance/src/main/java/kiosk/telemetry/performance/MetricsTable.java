package kiosk.telemetry.performance;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code MetricsTable}: key {@code metricId}. Indexes by reporting day ({@code day-index}, 16 write shards by
 * session, or by metric id for a timing outside a session) and by device, sorted by {@code ts = timestamp#metricId}.
 * The only code that touches this table.
 */
@ApplicationScoped
public class MetricsTable {

    static final String METRIC_ID = "metricId";
    static final String SESSION_ID = "sessionId";
    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String METRIC_TYPE = "metricType";
    static final String TIMESTAMP = "timestamp";
    static final String DURATION_MS = "durationMs";
    static final String SUCCESS = "success";
    static final String BREAKDOWN = "breakdown";
    static final String CONTEXT = "context";
    static final String DAY = "day";
    static final String DAY_SHARD = "dayShard";
    static final String TS = "ts";
    static final String RECEIVED_AT = "receivedAt";
    static final String EXPIRES_AT = "expiresAt";

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
        item.put(METRIC_ID, Attr.s(m.metricId()));
        Attr.putS(item, SESSION_ID, m.sessionId());
        item.put(DEVICE_ID, Attr.s(m.deviceId()));
        Attr.putS(item, STORE_ID, m.storeId());
        Attr.putS(item, GROUP_ID, m.groupId());
        Attr.putS(item, COUNTRY, m.countryCode());
        item.put(METRIC_TYPE, Attr.s(m.metricType()));
        String ts = Timestamps.format(m.timestamp());
        item.put(TIMESTAMP, Attr.s(ts));
        item.put(DURATION_MS, Attr.n(m.durationMs()));
        item.put(SUCCESS, Attr.bool(m.success()));
        if (m.breakdown() != null) {
            item.put(BREAKDOWN, Attr.s(Json.write(m.breakdown())));
        }
        if (m.context() != null) {
            item.put(CONTEXT, Attr.s(Json.write(m.context())));
        }
        item.put(DAY, Attr.s(day.toString()));
        // a session's timings share one day shard (the archive's session ids then compress); app starts go by their id
        item.put(DAY_SHARD, Attr.s(DayShards.keyFor(day, m.sessionId() != null ? m.sessionId() : m.metricId(), config.shards().metrics())));
        item.put(TS, Attr.s(ts + "#" + m.metricId()));
        item.put(RECEIVED_AT, Attr.s(Timestamps.format(m.receivedAt())));
        item.put(EXPIRES_AT, Attr.n(calendar.expiresAt(day, config.rawRetention())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", METRIC_ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new PutOutcome(true, m.deviceId());
        } catch (ConditionalCheckFailedException e) {
            return new PutOutcome(false, e.hasItem() ? Attr.str(e.item(), DEVICE_ID) : null);
        }
    }

    public IndexPager.Result list(String deviceId, String metricType, Boolean success, Instant from, Instant to,
                                  List<LocalDate> daysNewestFirst, int limit, String cursor, String scope) {
        String index = deviceId != null ? "device-index" : "day-index";
        String pkAttr = deviceId != null ? DEVICE_ID : DAY_SHARD;
        List<List<String>> groups = deviceId != null ? List.of(List.of(deviceId))
                : daysNewestFirst.stream().map(d -> DayShards.allKeys(d, config.shards().metrics())).toList();
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (metricType != null) {
            conditions.add("#mt = :mt");
            names.put("#mt", METRIC_TYPE);
            values.put(":mt", Attr.s(metricType));
        }
        if (success != null) {
            conditions.add("#ok = :ok");
            names.put("#ok", SUCCESS);
            values.put(":ok", Attr.bool(success));
        }
        IndexPager.Filter filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
        var spec = new IndexPager.Spec(table, index, pkAttr, TS, List.of(METRIC_ID, pkAttr, TS), groups, range, filter, true);
        return pager.page(spec, limit, cursor, scope);
    }

    public static MetricView view(Map<String, AttributeValue> item) {
        String breakdown = Attr.str(item, BREAKDOWN);
        String context = Attr.str(item, CONTEXT);
        return new MetricView(Attr.str(item, METRIC_ID), Attr.str(item, SESSION_ID), Attr.str(item, DEVICE_ID),
                Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID), Attr.str(item, COUNTRY), Attr.str(item, METRIC_TYPE),
                Attr.str(item, TIMESTAMP), Attr.num(item, DURATION_MS), Attr.flag(item, SUCCESS),
                breakdown == null ? null : Json.readStored(breakdown), context == null ? null : Json.readStored(context),
                Attr.str(item, RECEIVED_AT));
    }
}
