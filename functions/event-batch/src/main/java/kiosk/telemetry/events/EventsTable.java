package kiosk.telemetry.events;

import kiosk.telemetry.core.page.InvalidCursorException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.page.CursorCodec;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.time.format.DateTimeParseException;

/**
 * {@code EventsTable}: key {@code sessionId} + {@code sequenceNo} (the contract's dedup key), so a session's
 * events are one Query in sequence order. An event is one item and nothing else: no index entry. Events are found
 * by day and by device through {@link EventSessionDays}, whose entry for the event's (session, day, device) is
 * written before the event, and then by a Query of each session on this table's key, filtered to the day.
 * <p>
 * Events stored before that layout carry {@code dayShard} and {@code ts} and are in the table's old
 * {@code day-index} and {@code device-index}; while {@code telemetry.legacy.event-indexes} is on they are read
 * there too, and only there (the session Query skips items with {@code ts}), so every event is read once. New
 * events never carry {@code dayShard} or {@code ts}, so they cost those indexes nothing. The only code that touches
 * this table's items.
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
    static final String RECEIVED_AT = "receivedAt";
    static final String EXPIRES_AT = "expiresAt";
    /** Keys of the old layout's indexes: only events stored before the session-day directory have them. */
    static final String LEGACY_DAY_SHARD = "dayShard";
    static final String LEGACY_TS = "ts";

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final EventSessionDays sessionDays;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    /** The table with a session-day directory of its own (fixtures, benchmarks). */
    public EventsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this(dynamo, pager, new EventSessionDays(dynamo, calendar, config), calendar, config);
    }

    @Inject
    public EventsTable(DynamoDbClient dynamo, IndexPager pager, EventSessionDays sessionDays, ReportingCalendar calendar,
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
        sessionDays.ensure(EventSessionDays.entriesOf(events, calendar));
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
        item.put(SESSION_ID, Attr.s(e.sessionId()));
        item.put(SEQUENCE_NO, Attr.n(e.sequenceNo()));
        item.put(DEVICE_ID, Attr.s(e.deviceId()));
        Attr.putS(item, STORE_ID, e.storeId());
        Attr.putS(item, GROUP_ID, e.groupId());
        Attr.putS(item, COUNTRY, e.countryCode());
        item.put(EVENT_TYPE, Attr.s(e.eventType()));
        item.put(TIMESTAMP, Attr.s(Timestamps.format(e.timestamp())));
        Attr.putS(item, SCREEN, e.screen());
        if (e.properties() != null) {
            item.put(PROPERTIES, Attr.s(Json.write(e.properties())));
        }
        item.put(DAY, Attr.s(day.toString()));
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

    /**
     * Events newest first by {@code timestamp}, then session id, then sequence number (as text), of one device or of
     * the fleet, optionally of one type, in [{@code from}, {@code to}). Walks the days newest first; a day's events
     * are its sessions' events (a device's sessions from {@link EventSessionDays}, or every session of the day),
     * sorted; the cursor holds the day and the last event returned. A fleet-wide page therefore reads the whole day.
     */
    public IndexPager.Result list(String deviceId, String eventType, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        int dayIndex = 0;
        String after = null;
        if (cursor != null) {
            var state = CursorCodec.decode(scope, cursor);
            dayIndex = daysNewestFirst.indexOf(parseDay(state.path("day").asText("")));
            if (dayIndex < 0 || (state.has("after") && !state.path("after").isTextual())) {
                throw new InvalidCursorException();
            }
            after = state.path("after").textValue();
        }
        String low = from == null ? null : Timestamps.format(from);
        String high = to == null ? null : Timestamps.format(to);
        List<Map<String, AttributeValue>> out = new ArrayList<>(limit);
        for (int d = dayIndex; d < daysNewestFirst.size(); d++) {
            LocalDate day = daysNewestFirst.get(d);
            List<Sorted> events = new ArrayList<>();
            String resumeBefore = d == dayIndex ? after : null;
            dayEvents(day, deviceId, eventType, e -> {
                if ((low == null || e.key.compareTo(low) >= 0) && (high == null || e.key.compareTo(high) <= 0)
                        && (resumeBefore == null || e.key.compareTo(resumeBefore) < 0)) {
                    events.add(e);
                }
            });
            events.sort(Comparator.comparing(Sorted::key).reversed());
            for (int i = 0; i < events.size(); i++) {
                if (out.size() == limit) {
                    return new IndexPager.Result(out, cursor(scope, day, events.get(i - 1).key));
                }
                out.add(events.get(i).item);
            }
            if (out.size() == limit && d + 1 < daysNewestFirst.size()) {
                return new IndexPager.Result(out, cursor(scope, daysNewestFirst.get(d + 1), null));
            }
        }
        return new IndexPager.Result(out, null);
    }

    /** An event and its list order key: {@code timestamp#sessionId#sequenceNo}, as the old {@code ts}. */
    private record Sorted(String key, Map<String, AttributeValue> item) {
    }

    private static String cursor(String scope, LocalDate day, String after) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put("day", day.toString());
        if (after != null) {
            state.put("after", after);
        }
        return CursorCodec.encode(scope, state);
    }

    private static LocalDate parseDay(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidCursorException();
        }
    }

    /** Every event of one reporting day (of one device, of one type, when given), in no particular order. */
    private void dayEvents(LocalDate day, String deviceId, String eventType, Consumer<Sorted> sink) {
        List<String> sessions = deviceId != null ? sessionDays.sessionsOfDevice(deviceId, day) : sessionDays.sessionsOfDay(day);
        for (String sessionId : sessions) {
            forEachOfSessionDay(sessionId, day, deviceId, eventType, item -> sink.accept(new Sorted(
                    Attr.str(item, TIMESTAMP) + "#" + Attr.str(item, SESSION_ID) + "#" + Attr.num(item, SEQUENCE_NO), item)));
        }
        if (config.legacy().eventIndexes()) {
            Consumer<Map<String, AttributeValue>> legacy = item -> sink.accept(new Sorted(Attr.str(item, LEGACY_TS), item));
            if (deviceId != null) {
                String lo = Timestamps.format(calendar.startOf(day));
                String hi = Timestamps.format(calendar.startOf(day.plusDays(1)));
                queryAll(legacyQuery("device-index", DEVICE_ID, deviceId, eventType)
                        .keyConditionExpression("#pk = :pk AND #ts BETWEEN :lo AND :hi")
                        .expressionAttributeValues(values(Map.of(":pk", Attr.s(deviceId), ":lo", Attr.s(lo), ":hi", Attr.s(hi)), eventType)),
                        legacy);
            } else {
                for (String shard : DayShards.allKeys(day, config.shards().events())) {
                    queryAll(legacyQuery("day-index", LEGACY_DAY_SHARD, shard, eventType).keyConditionExpression("#pk = :pk")
                            .expressionAttributeValues(values(Map.of(":pk", Attr.s(shard)), eventType)), legacy);
                }
            }
        }
    }

    private QueryRequest.Builder legacyQuery(String index, String pkAttr, String pk, String eventType) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", pkAttr));
        if (index.equals("device-index")) {
            names.put("#ts", LEGACY_TS);
        }
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index);
        if (eventType != null) {
            names.put("#t", EVENT_TYPE);
            q.filterExpression("#t = :t");
        }
        return q.expressionAttributeNames(names);
    }

    private static Map<String, AttributeValue> values(Map<String, AttributeValue> base, String eventType) {
        Map<String, AttributeValue> v = new HashMap<>(base);
        if (eventType != null) {
            v.put(":t", Attr.s(eventType));
        }
        return v;
    }

    /**
     * The events of one session on one day stored in this layout (without {@code ts}), of one device and one type
     * when given: one Query on the table key, filtered.
     */
    private void forEachOfSessionDay(String sessionId, LocalDate day, String deviceId, String eventType,
                                     Consumer<Map<String, AttributeValue>> sink) {
        Map<String, String> names = new HashMap<>(Map.of("#s", SESSION_ID, "#day", DAY, "#ts", LEGACY_TS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", Attr.s(sessionId), ":day", Attr.s(day.toString())));
        StringBuilder filter = new StringBuilder("#day = :day AND attribute_not_exists(#ts)");
        if (deviceId != null) {
            names.put("#dev", DEVICE_ID);
            values.put(":dev", Attr.s(deviceId));
            filter.append(" AND #dev = :dev");
        }
        if (eventType != null) {
            names.put("#t", EVENT_TYPE);
            values.put(":t", Attr.s(eventType));
            filter.append(" AND #t = :t");
        }
        queryAll(QueryRequest.builder().tableName(table).keyConditionExpression("#s = :s").filterExpression(filter.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values), sink);
    }

    private void queryAll(QueryRequest.Builder query, Consumer<Map<String, AttributeValue>> sink) {
        Map<String, AttributeValue> start = null;
        do {
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            page.items().forEach(sink);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    public static EventView view(Map<String, AttributeValue> item) {
        String props = Attr.str(item, PROPERTIES);
        return new EventView(Attr.str(item, SESSION_ID), Attr.num(item, SEQUENCE_NO), Attr.str(item, DEVICE_ID),
                Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID), Attr.str(item, COUNTRY), Attr.str(item, EVENT_TYPE),
                Attr.str(item, TIMESTAMP), Attr.str(item, SCREEN), props == null ? null : Json.readStored(props),
                Attr.str(item, RECEIVED_AT));
    }
}
