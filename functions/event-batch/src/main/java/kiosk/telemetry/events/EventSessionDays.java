package kiosk.telemetry.events;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code EventSessionDaysTable}: one small entry per (session, reporting day, device) that has events, written
 * once, before the first of those events, so that events themselves need no index entries. Key {@code sessionId}
 * + {@code dayDevice} ({@code 2025-01-19#kiosk-7}); keys-only indexes by day shard ({@code day-index}:
 * {@code dayShard}, {@code sessionId}; the shard is the session's, as the archive's file) and by device
 * ({@code device-index}: {@code deviceId}, {@code day}). The nightly run reads a day's sessions from
 * {@code day-index} and then each session's events on the Events table's own key; a device's list reads its
 * sessions of a day from {@code device-index}. The only code that writes this table.
 */
@ApplicationScoped
public class EventSessionDays {

    static final String SESSION_ID = "sessionId";
    static final String DAY_DEVICE = "dayDevice";
    static final String DAY = "day";
    static final String DEVICE_ID = "deviceId";
    static final String DAY_SHARD = "dayShard";
    static final String EXPIRES_AT = "expiresAt";

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
        String day = e.day().toString();
        Map<String, AttributeValue> item = Map.of(
                SESSION_ID, Attr.s(e.sessionId()),
                DAY_DEVICE, Attr.s(day + "#" + e.deviceId()),
                DAY, Attr.s(day),
                DEVICE_ID, Attr.s(e.deviceId()),
                DAY_SHARD, Attr.s(DayShards.keyFor(e.day(), e.sessionId(), config.shards().events())),
                EXPIRES_AT, Attr.n(calendar.expiresAt(e.day(), config.rawRetention())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#s)")
                    .expressionAttributeNames(Map.of("#s", SESSION_ID))
                    .build());
        } catch (ConditionalCheckFailedException exists) {
            // written before (a resent batch, or another instance): nothing to add
        }
    }

    /** The sessions with events of {@code deviceId} on {@code day}, in session id order. */
    public List<String> sessionsOfDevice(String deviceId, LocalDate day) {
        return sessions(QueryRequest.builder().tableName(table).indexName("device-index")
                .keyConditionExpression("#d = :d AND #day = :day")
                .expressionAttributeNames(Map.of("#d", DEVICE_ID, "#day", DAY))
                .expressionAttributeValues(Map.of(":d", Attr.s(deviceId), ":day", Attr.s(day.toString()))));
    }

    /** The sessions with events on {@code day} (of any device), in day shard and then session id order. */
    public List<String> sessionsOfDay(LocalDate day) {
        List<String> out = new ArrayList<>();
        for (String shard : DayShards.allKeys(day, config.shards().events())) {
            out.addAll(sessions(QueryRequest.builder().tableName(table).indexName("day-index")
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", DAY_SHARD))
                    .expressionAttributeValues(Map.of(":k", Attr.s(shard)))));
        }
        return out;
    }

    /** Session ids of every page of the query, each once (a session may have entries of several devices). */
    private List<String> sessions(QueryRequest.Builder query) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            page.items().forEach(it -> out.add(Attr.str(it, SESSION_ID)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new ArrayList<>(out);
    }
}
