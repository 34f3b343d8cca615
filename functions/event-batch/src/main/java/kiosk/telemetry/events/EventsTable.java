package kiosk.telemetry.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.DayWalk;
import kiosk.telemetry.core.dynamo.SessionDays;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.store.Index;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static kiosk.telemetry.core.store.EventItem.COUNTRY;
import static kiosk.telemetry.core.store.EventItem.DAY;
import static kiosk.telemetry.core.store.EventItem.DEVICE_ID;
import static kiosk.telemetry.core.store.EventItem.EVENT_TYPE;
import static kiosk.telemetry.core.store.EventItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.EventItem.GROUP_ID;
import static kiosk.telemetry.core.store.EventItem.LEGACY_BY_DAY;
import static kiosk.telemetry.core.store.EventItem.LEGACY_BY_DEVICE;
import static kiosk.telemetry.core.store.EventItem.LEGACY_DAY_SHARD;
import static kiosk.telemetry.core.store.EventItem.LEGACY_TS;
import static kiosk.telemetry.core.store.EventItem.PROPERTIES;
import static kiosk.telemetry.core.store.EventItem.RECEIVED_AT;
import static kiosk.telemetry.core.store.EventItem.SCREEN;
import static kiosk.telemetry.core.store.EventItem.SEQUENCE_NO;
import static kiosk.telemetry.core.store.EventItem.SESSION_ID;
import static kiosk.telemetry.core.store.EventItem.STORE_ID;
import static kiosk.telemetry.core.store.EventItem.TIMESTAMP;

/**
 * {@code EventsTable}, items as {@link EventItem} defines them: an event is one item and nothing else. Events are
 * found by day and by device through {@link SessionDays}, whose entry for the event's (session, day, device) is
 * written before the event, and then by a Query of each session on this table's key, filtered to the day.
 * <p>
 * Events of the old layout (with {@code ts}) are in the table's old day and device indexes; while
 * {@code telemetry.legacy.event-indexes} is on they are read there too, and only there (the session Query skips items
 * with {@code ts}), so every event is read once. The only code that writes this table.
 */
@ApplicationScoped
public class EventsTable {

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final SessionDays sessionDays;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    /** The table with a session-day directory of its own (fixtures, benchmarks). */
    public EventsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this(dynamo, pager, new SessionDays(dynamo, calendar, config), calendar, config);
    }

    @Inject
    public EventsTable(DynamoDbClient dynamo, IndexPager pager, SessionDays sessionDays, ReportingCalendar calendar,
                       TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.sessionDays = sessionDays;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().events();
    }

    /** Records the (session, day, device) entries of events about to be written; throws when one could not be. */
    public void beforeWriting(List<Event> events) {
        Set<SessionDays.Entry> entries = new LinkedHashSet<>();
        for (Event e : events) {
            entries.add(new SessionDays.Entry(e.sessionId(), calendar.dayOf(e.timestamp()), e.deviceId()));
        }
        sessionDays.ensure(entries);
    }

    /** One event on its own: its session-day entry, then the event (see {@link #putItemIfAbsent}). */
    public boolean putIfAbsent(Event e) {
        beforeWriting(List.of(e));
        return putItemIfAbsent(e);
    }

    /**
     * One conditional put of the event's item alone; true when new, false when an event with this key exists (first
     * write wins). Its session-day entry must have been written before ({@link #beforeWriting}).
     */
    public boolean putItemIfAbsent(Event e) {
        LocalDate day = calendar.dayOf(e.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        SESSION_ID.put(item, e.sessionId());
        SEQUENCE_NO.put(item, e.sequenceNo());
        DEVICE_ID.put(item, e.deviceId());
        STORE_ID.put(item, e.storeId());
        GROUP_ID.put(item, e.groupId());
        COUNTRY.put(item, e.countryCode());
        EVENT_TYPE.put(item, e.eventType());
        TIMESTAMP.put(item, e.timestamp());
        SCREEN.put(item, e.screen());
        PROPERTIES.put(item, e.properties());
        DAY.put(item, day);
        RECEIVED_AT.put(item, e.receivedAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#s)")
                    .expressionAttributeNames(Map.of("#s", SESSION_ID.name()))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    /** A session's events in sequence order: a Query on the table key. */
    public IndexPager.Result ofSession(String sessionId, int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, SESSION_ID, SEQUENCE_NO).byPartition(Index.tableKey(SESSION_ID, SEQUENCE_NO), sessionId)
                .oldestFirst().spec();
        return pager.page(spec, limit, cursor, scope);
    }

    /**
     * Events newest first by {@code timestamp}, then session id, then sequence number (as text), of one device or of
     * the fleet, optionally of one type, in [{@code from}, {@code to}): a {@link DayWalk} whose day is its sessions'
     * events (a device's sessions from {@link SessionDays}, or every session of the day). A fleet-wide page therefore
     * reads the whole day.
     */
    public IndexPager.Result list(String deviceId, String eventType, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        return DayWalk.page(daysNewestFirst, from, to, limit, cursor, scope, (day, sink) -> dayEvents(day, deviceId, eventType, sink));
    }

    /**
     * Every event of one reporting day (of one device, of one type, when given), in no particular order: the day's
     * sessions and shards are read several at once.
     */
    private void dayEvents(LocalDate day, String deviceId, String eventType, Consumer<DayWalk.Keyed> sink) {
        DayShards.readEach(sessionDays.sessionsOf(day, deviceId), sessionId -> {
            List<DayWalk.Keyed> events = new ArrayList<>();
            forEachOfSessionDay(sessionId, day, deviceId, eventType, item -> events.add(new DayWalk.Keyed(
                    TIMESTAMP.storedText(item) + "#" + SESSION_ID.get(item) + "#" + SEQUENCE_NO.get(item), item)));
            return events;
        }).forEach(sink);
        if (config.legacy().eventIndexes()) {
            Consumer<Map<String, AttributeValue>> legacy = item -> sink.accept(new DayWalk.Keyed(LEGACY_TS.get(item), item));
            if (deviceId != null) {
                String lo = Timestamps.format(calendar.startOf(day));
                String hi = Timestamps.format(calendar.startOf(day.plusDays(1)));
                queryAll(legacyQuery(LEGACY_BY_DEVICE, eventType)
                        .keyConditionExpression("#pk = :pk AND #ts BETWEEN :lo AND :hi")
                        .expressionAttributeValues(values(Map.of(":pk", DEVICE_ID.value(deviceId), ":lo", LEGACY_TS.value(lo),
                                ":hi", LEGACY_TS.value(hi)), eventType)),
                        legacy);
            } else {
                DayShards.readEach(day, config.shards().events(), shard -> {
                    List<Map<String, AttributeValue>> items = new ArrayList<>();
                    queryAll(legacyQuery(LEGACY_BY_DAY, eventType).keyConditionExpression("#pk = :pk")
                            .expressionAttributeValues(values(Map.of(":pk", LEGACY_DAY_SHARD.value(shard)), eventType)), items::add);
                    return items;
                }).forEach(legacy);
            }
        }
    }

    private QueryRequest.Builder legacyQuery(Index index, String eventType) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", index.partition().name()));
        if (index == LEGACY_BY_DEVICE) {
            names.put("#ts", LEGACY_TS.name());
        }
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index.name());
        if (eventType != null) {
            names.put("#t", EVENT_TYPE.name());
            q.filterExpression("#t = :t");
        }
        return q.expressionAttributeNames(names);
    }

    private static Map<String, AttributeValue> values(Map<String, AttributeValue> base, String eventType) {
        Map<String, AttributeValue> v = new HashMap<>(base);
        if (eventType != null) {
            v.put(":t", EVENT_TYPE.value(eventType));
        }
        return v;
    }

    /**
     * The events of one session on one day stored in this layout (without {@code ts}), of one device and one type
     * when given: one Query on the table key, filtered.
     */
    private void forEachOfSessionDay(String sessionId, LocalDate day, String deviceId, String eventType,
                                     Consumer<Map<String, AttributeValue>> sink) {
        Map<String, String> names = new HashMap<>(Map.of("#s", SESSION_ID.name(), "#day", DAY.name(), "#ts", LEGACY_TS.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", SESSION_ID.value(sessionId), ":day", DAY.value(day)));
        StringBuilder filter = new StringBuilder("#day = :day AND attribute_not_exists(#ts)");
        if (deviceId != null) {
            names.put("#dev", DEVICE_ID.name());
            values.put(":dev", DEVICE_ID.value(deviceId));
            filter.append(" AND #dev = :dev");
        }
        if (eventType != null) {
            names.put("#t", EVENT_TYPE.name());
            values.put(":t", EVENT_TYPE.value(eventType));
            filter.append(" AND #t = :t");
        }
        queryAll(QueryRequest.builder().tableName(table).keyConditionExpression("#s = :s").filterExpression(filter.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values), sink);
    }

    private void queryAll(QueryRequest.Builder query, Consumer<Map<String, AttributeValue>> sink) {
        dynamo.queryPaginator(query.build()).items().forEach(sink);
    }

    public static EventView view(Map<String, AttributeValue> item) {
        return new EventView(SESSION_ID.get(item), SEQUENCE_NO.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item),
                COUNTRY.get(item), EVENT_TYPE.get(item), TIMESTAMP.storedText(item), SCREEN.get(item), PROPERTIES.get(item),
                RECEIVED_AT.storedText(item));
    }
}
