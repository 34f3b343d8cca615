package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.store.SessionDayItem;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static kiosk.telemetry.core.store.SessionDayItem.BY_DAY;
import static kiosk.telemetry.core.store.SessionDayItem.BY_DEVICE;
import static kiosk.telemetry.core.store.SessionDayItem.DAY;
import static kiosk.telemetry.core.store.SessionDayItem.DAY_DEVICE;
import static kiosk.telemetry.core.store.SessionDayItem.DAY_SHARD;
import static kiosk.telemetry.core.store.SessionDayItem.DEVICE_ID;
import static kiosk.telemetry.core.store.SessionDayItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.SessionDayItem.SESSION_ID;

/**
 * The session-day directory ({@code EventSessionDaysTable}), entries as {@link SessionDayItem} defines them: one small
 * entry per (session, reporting day, device) that has events or timings, written once, before the first of those
 * records, so that the records themselves need no index entries. The nightly run reads a day's sessions from its day
 * index and then each session's events and timings on the Events and Timings tables' own keys; a device's lists read
 * its sessions of a day from the device index. The only code that writes this table (in the event and performance
 * functions).
 */
@ApplicationScoped
public class SessionDays {

    /** Entries this process has written or found: a warm function skips them. Cleared whole when full. */
    private static final int REMEMBERED = 50_000;

    /** One entry: a session (or a device's timings outside one) has records on a day from a device. */
    public record Entry(String sessionId, LocalDate day, String deviceId) {
    }

    private final DynamoDbClient dynamo;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;
    private final Set<Entry> written = ConcurrentHashMap.newKeySet();

    public SessionDays(DynamoDbClient dynamo, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().eventSessionDays();
    }

    /**
     * Makes sure every entry exists: one conditional put for each entry this process has not written before (an
     * existing entry is left as it is, so a resent batch adds nothing). Throws what DynamoDB throws: the caller
     * must then not write the records.
     */
    public void ensure(Collection<Entry> entries) {
        for (Entry e : entries) {
            if (!written.contains(e)) {
                put(e);
                remember(e);
            }
        }
    }

    /**
     * As {@link #ensure}, for records whose entry another function has usually written already (a session's timings,
     * after its events): the entries this process does not know are read first, eventually consistent (one
     * {@code BatchGetItem}, half a read unit each), and only the missing ones are put. A put refused by its condition
     * would cost a whole write unit; an entry the read misses is put and refused, which costs that unit and no more.
     */
    public void ensureMostlyPresent(Collection<Entry> entries) {
        List<Entry> unknown = entries.stream().filter(e -> !written.contains(e)).distinct().toList();
        if (unknown.isEmpty()) {
            return;
        }
        Set<Map<String, AttributeValue>> present = new HashSet<>(
                BatchReader.existing(dynamo, table, unknown.stream().map(SessionDays::key).toList()));
        for (Entry e : unknown) {
            if (!present.contains(key(e))) {
                put(e);
            }
            remember(e);
        }
    }

    private void remember(Entry e) {
        if (written.size() >= REMEMBERED) {
            written.clear();
        }
        written.add(e);
    }

    private static Map<String, AttributeValue> key(Entry e) {
        return Map.of(SESSION_ID.name(), SESSION_ID.value(e.sessionId()),
                DAY_DEVICE.name(), DAY_DEVICE.value(SessionDayItem.dayDevice(e.day(), e.deviceId())));
    }

    private void put(Entry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        SESSION_ID.put(item, e.sessionId());
        DAY_DEVICE.put(item, SessionDayItem.dayDevice(e.day(), e.deviceId()));
        DAY.put(item, e.day());
        DEVICE_ID.put(item, e.deviceId());
        DAY_SHARD.put(item, SessionDayItem.dayShard(e.day(), e.sessionId(), config.shards().events()));
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

    /** The sessions with records on {@code day} of {@code deviceId}, or of any device when it is null. */
    public List<String> sessionsOf(LocalDate day, String deviceId) {
        return deviceId != null ? sessionsOfDevice(deviceId, day) : sessionsOfDay(day);
    }

    /** The sessions with records of {@code deviceId} on {@code day}, in session id order. */
    public List<String> sessionsOfDevice(String deviceId, LocalDate day) {
        return sessions(QueryRequest.builder().tableName(table).indexName(BY_DEVICE.name())
                .keyConditionExpression("#d = :d AND #day = :day")
                .expressionAttributeNames(Map.of("#d", DEVICE_ID.name(), "#day", DAY.name()))
                .expressionAttributeValues(Map.of(":d", DEVICE_ID.value(deviceId), ":day", DAY.value(day))));
    }

    /** The sessions with records on {@code day} (of any device), in day shard and then session id order. */
    public List<String> sessionsOfDay(LocalDate day) {
        return DayShards.readEach(day, config.shards().events(), shard -> sessions(QueryRequest.builder().tableName(table)
                .indexName(BY_DAY.name()).keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", DAY_SHARD.name()))
                .expressionAttributeValues(Map.of(":k", DAY_SHARD.value(shard)))));
    }

    /** Session ids of every page of the query, each once (a session may have entries of several devices). */
    private List<String> sessions(QueryRequest.Builder query) {
        Set<String> out = new LinkedHashSet<>();
        dynamo.queryPaginator(query.build()).items().forEach(it -> out.add(SESSION_ID.get(it)));
        return new ArrayList<>(out);
    }
}
