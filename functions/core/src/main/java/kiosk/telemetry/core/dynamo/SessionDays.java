package kiosk.telemetry.events;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.store.EventSessionDayItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static kiosk.telemetry.core.store.EventSessionDayItem.BY_DAY;
import static kiosk.telemetry.core.store.EventSessionDayItem.BY_DEVICE;
import static kiosk.telemetry.core.store.EventSessionDayItem.DAY;
import static kiosk.telemetry.core.store.EventSessionDayItem.DAY_DEVICE;
import static kiosk.telemetry.core.store.EventSessionDayItem.DAY_SHARD;
import static kiosk.telemetry.core.store.EventSessionDayItem.DEVICE_ID;
import static kiosk.telemetry.core.store.EventSessionDayItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.EventSessionDayItem.SESSION_ID;

/**
 * {@code EventSessionDaysTable}, entries as {@link EventSessionDayItem} defines them: one small entry per (session,
 * reporting day, device) that has events, written once, before the first of those events, so that events themselves
 * need no index entries. The nightly run reads a day's sessions from its day index and then each session's events on
 * the Events table's own key; a device's list reads its sessions of a day from the device index. The only code that
 * writes this table.
 */
@ApplicationScoped
public class EventSessionDays {

    /** Entries this process has written or found: a warm function skips them. Cleared whole when full. */
    private static final int REMEMBERED = 50_000;

    /** One entry: a session has events on a day from a device. */
    public record Entry(String sessionId, LocalDate day, String deviceId) {
    }

    private final DynamoDbClient dynamo;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;
    private final Set<Entry> written = ConcurrentHashMap.newKeySet();

    public EventSessionDays(DynamoDbClient dynamo, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().eventSessionDays();
    }

    /** The entries a list of events needs, each once, in the events' order. */
    public static List<Entry> entriesOf(Collection<Event> events, ReportingCalendar calendar) {
        Set<Entry> out = new LinkedHashSet<>();
        for (Event e : events) {
            out.add(new Entry(e.sessionId(), calendar.dayOf(e.timestamp()), e.deviceId()));
        }
        return new ArrayList<>(out);
    }

    /**
     * Makes sure every entry exists: one conditional put for each entry this process has not written before (an
     * existing entry is left as it is, so a resent batch adds nothing). Throws what DynamoDB throws: the caller
     * must then not write the events.
     */
    public void ensure(Collection<Entry> entries) {
        for (Entry e : entries) {
            if (written.contains(e)) {
                continue;
            }
            put(e);
            if (written.size() >= REMEMBERED) {
                written.clear();
            }
            written.add(e);
        }
    }

    private void put(Entry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        SESSION_ID.put(item, e.sessionId());
        DAY_DEVICE.put(item, EventSessionDayItem.dayDevice(e.day(), e.deviceId()));
        DAY.put(item, e.day());
        DEVICE_ID.put(item, e.deviceId());
        DAY_SHARD.put(item, EventSessionDayItem.dayShard(e.day(), e.sessionId(), config.shards().events()));
        EXPIRES_AT.put(item, calendar.expiresAt(e.day(), config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#s)")
                    .expressionAttributeNames(Map.of("#s", SESSION_ID.name()))
                    .build());
        } catch (ConditionalCheckFailedException exists) {
            // written before (a resent batch, or another instance): nothing to add
        }
    }

    /** The sessions with events of {@code deviceId} on {@code day}, in session id order. */
    public List<String> sessionsOfDevice(String deviceId, LocalDate day) {
        return sessions(QueryRequest.builder().tableName(table).indexName(BY_DEVICE.name())
                .keyConditionExpression("#d = :d AND #day = :day")
                .expressionAttributeNames(Map.of("#d", DEVICE_ID.name(), "#day", DAY.name()))
                .expressionAttributeValues(Map.of(":d", DEVICE_ID.value(deviceId), ":day", DAY.value(day))));
    }

    /** The sessions with events on {@code day} (of any device), in day shard and then session id order. */
    public List<String> sessionsOfDay(LocalDate day) {
        List<String> out = new ArrayList<>();
        for (String shard : DayShards.allKeys(day, config.shards().events())) {
            out.addAll(sessions(QueryRequest.builder().tableName(table).indexName(BY_DAY.name())
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", DAY_SHARD.name()))
                    .expressionAttributeValues(Map.of(":k", DAY_SHARD.value(shard)))));
        }
        return out;
    }

    /** Session ids of every page of the query, each once (a session may have entries of several devices). */
    private List<String> sessions(QueryRequest.Builder query) {
        Set<String> out = new LinkedHashSet<>();
        dynamo.queryPaginator(query.build()).items().forEach(it -> out.add(SESSION_ID.get(it)));
        return new ArrayList<>(out);
    }
}
