package kiosk.telemetry.events;

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

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code EventsTable}: key {@code sessionId} + {@code sequenceNo} (the contract's dedup key), so a session's
 * events are one Query in sequence order. Indexes by reporting day ({@code day-index}, 64 write shards by session,
 * so a session's events share a shard) and by device, sorted by {@code ts = timestamp#sessionId#sequenceNo}. The
 * only code that touches this table.
 */
@ApplicationScoped
public class EventsTable {

    static final String SESSION_ID = "sessionId";
    static final String SEQUENCE_NO = "sequenceNo";
    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String EVENT_TYPE = "eventType";
    static final String TIMESTAMP = "timestamp";
    static final String SCREEN = "screen";
    static final String PROPERTIES = "properties";
    static final String DAY = "day";
    static final String DAY_SHARD = "dayShard";
    static final String TS = "ts";
    static final String RECEIVED_AT = "receivedAt";
    static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public EventsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().events();
    }

    /** One conditional put; true when new, false when an event with this key exists (first write wins). */
    public boolean putIfAbsent(Event e) {
        LocalDate day = calendar.dayOf(e.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(SESSION_ID, Attr.s(e.sessionId()));
        item.put(SEQUENCE_NO, Attr.n(e.sequenceNo()));
        item.put(DEVICE_ID, Attr.s(e.deviceId()));
        Attr.putS(item, STORE_ID, e.storeId());
        Attr.putS(item, GROUP_ID, e.groupId());
        Attr.putS(item, COUNTRY, e.countryCode());
        item.put(EVENT_TYPE, Attr.s(e.eventType()));
        String ts = Timestamps.format(e.timestamp());
        item.put(TIMESTAMP, Attr.s(ts));
        Attr.putS(item, SCREEN, e.screen());
        if (e.properties() != null) {
            item.put(PROPERTIES, Attr.s(Json.write(e.properties())));
        }
        item.put(DAY, Attr.s(day.toString()));
        // a session's events share one day shard, so the archive keeps them in one file (its session id compresses)
        item.put(DAY_SHARD, Attr.s(DayShards.keyFor(day, e.sessionId(), config.shards().events())));
        item.put(TS, Attr.s(ts + "#" + e.key()));
        item.put(RECEIVED_AT, Attr.s(Timestamps.format(e.receivedAt())));
        item.put(EXPIRES_AT, Attr.n(calendar.expiresAt(day, config.rawRetention())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#s)")
                    .expressionAttributeNames(Map.of("#s", SESSION_ID))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    /** A session's events in sequence order: a Query on the table key. */
    public IndexPager.Result ofSession(String sessionId, int limit, String cursor, String scope) {
        var spec = new IndexPager.Spec(table, null, SESSION_ID, SEQUENCE_NO, List.of(SESSION_ID, SEQUENCE_NO),
                List.of(List.of(sessionId)), null, IndexPager.Filter.none(), false);
        return pager.page(spec, limit, cursor, scope);
    }

    /** Events newest first, by device (device-index) or across the fleet (day-index shards), optionally of one type. */
    public IndexPager.Result list(String deviceId, String eventType, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        String index = deviceId != null ? "device-index" : "day-index";
        String pkAttr = deviceId != null ? DEVICE_ID : DAY_SHARD;
        List<List<String>> groups = deviceId != null ? List.of(List.of(deviceId))
                : daysNewestFirst.stream().map(d -> DayShards.allKeys(d, config.shards().events())).toList();
        IndexPager.Filter filter = eventType == null ? IndexPager.Filter.none()
                : new IndexPager.Filter("#t = :t", Map.of("#t", EVENT_TYPE), Map.of(":t", Attr.s(eventType)));
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
        var spec = new IndexPager.Spec(table, index, pkAttr, TS, List.of(SESSION_ID, SEQUENCE_NO, pkAttr, TS), groups, range, filter, true);
        return pager.page(spec, limit, cursor, scope);
    }

    public static EventView view(Map<String, AttributeValue> item) {
        String props = Attr.str(item, PROPERTIES);
        return new EventView(Attr.str(item, SESSION_ID), Attr.num(item, SEQUENCE_NO), Attr.str(item, DEVICE_ID),
                Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID), Attr.str(item, COUNTRY), Attr.str(item, EVENT_TYPE),
                Attr.str(item, TIMESTAMP), Attr.str(item, SCREEN), props == null ? null : Json.readStored(props),
                Attr.str(item, RECEIVED_AT));
    }
}
