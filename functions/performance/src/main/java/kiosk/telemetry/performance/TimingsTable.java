package kiosk.telemetry.performance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.DayWalk;
import kiosk.telemetry.core.dynamo.SessionDays;
import kiosk.telemetry.core.store.TimingItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static kiosk.telemetry.core.store.TimingItem.BREAKDOWN;
import static kiosk.telemetry.core.store.TimingItem.CONTEXT;
import static kiosk.telemetry.core.store.TimingItem.COUNTRY;
import static kiosk.telemetry.core.store.TimingItem.DAY;
import static kiosk.telemetry.core.store.TimingItem.DEVICE_ID;
import static kiosk.telemetry.core.store.TimingItem.DURATION_MS;
import static kiosk.telemetry.core.store.TimingItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.TimingItem.GROUP_ID;
import static kiosk.telemetry.core.store.TimingItem.METRIC_ID;
import static kiosk.telemetry.core.store.TimingItem.METRIC_TYPE;
import static kiosk.telemetry.core.store.TimingItem.RECEIVED_AT;
import static kiosk.telemetry.core.store.TimingItem.SESSION_ID;
import static kiosk.telemetry.core.store.TimingItem.SESSION_KEY;
import static kiosk.telemetry.core.store.TimingItem.STORE_ID;
import static kiosk.telemetry.core.store.TimingItem.SUCCESS;
import static kiosk.telemetry.core.store.TimingItem.TIMESTAMP;

/**
 * {@code TimingsTable}, items as {@link TimingItem} defines them: a timing is one item and nothing else, keyed by its
 * session key and {@code metricId}. Timings are found by day and by device through {@link SessionDays}, whose entry for
 * the timing's (session key, day, device) is written before the timing, and then by a Query of each session key,
 * filtered to the day. The only code that touches this table in the performance function.
 */
@ApplicationScoped
public class TimingsTable {

    /** New, or the device of the timing stored with the same session key and id. */
    public record PutOutcome(boolean created, String ownerDeviceId) {
    }

    private final DynamoDbClient dynamo;
    private final SessionDays sessionDays;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    /** The table with a session-day directory of its own (fixtures, benchmarks). */
    public TimingsTable(DynamoDbClient dynamo, ReportingCalendar calendar, TelemetryConfig config) {
        this(dynamo, new SessionDays(dynamo, calendar, config), calendar, config);
    }

    @Inject
    public TimingsTable(DynamoDbClient dynamo, SessionDays sessionDays, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.sessionDays = sessionDays;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().timings();
    }

    /**
     * Records the (session key, day, device) entries of timings about to be written; throws when one could not be. A
     * session's entry is usually there already (its events came first), so entries are read before they are put.
     */
    public void beforeWriting(List<Metric> metrics) {
        Set<SessionDays.Entry> entries = new LinkedHashSet<>();
        for (Metric m : metrics) {
            entries.add(new SessionDays.Entry(sessionKey(m), calendar.dayOf(m.timestamp()), m.deviceId()));
        }
        sessionDays.ensureMostlyPresent(entries);
    }

    /** One timing on its own: its session-day entry, then the timing (see {@link #putItemIfAbsent}). */
    public PutOutcome putIfAbsent(Metric m) {
        beforeWriting(List.of(m));
        return putItemIfAbsent(m);
    }

    /**
     * One conditional put of the timing's item alone (first write wins); its session-day entry must have been written
     * before ({@link #beforeWriting}).
     */
    public PutOutcome putItemIfAbsent(Metric m) {
        LocalDate day = calendar.dayOf(m.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        SESSION_KEY.put(item, sessionKey(m));
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
        RECEIVED_AT.put(item, m.receivedAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", SESSION_KEY.name()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new PutOutcome(true, m.deviceId());
        } catch (ConditionalCheckFailedException e) {
            return new PutOutcome(false, e.hasItem() ? DEVICE_ID.get(e.item()) : null);
        }
    }

    /**
     * Every timing of one reporting day of one device (or of the fleet), optionally of one type and outcome, with its
     * list key: the day's session keys from {@link SessionDays}, then one Query of each, filtered, several at once.
     */
    public void dayTimings(LocalDate day, String deviceId, String metricType, Boolean success, Consumer<DayWalk.Keyed> sink) {
        DayShards.readEach(sessionDays.sessionsOf(day, deviceId), key -> ofSessionDay(key, day, deviceId, metricType, success)).forEach(sink);
    }

    /** One session key's timings of one day (of one device, type and outcome, when given): one Query, filtered. */
    private List<DayWalk.Keyed> ofSessionDay(String key, LocalDate day, String deviceId, String metricType, Boolean success) {
        Map<String, String> names = new HashMap<>(Map.of("#k", SESSION_KEY.name(), "#day", DAY.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", SESSION_KEY.value(key), ":day", DAY.value(day)));
        StringBuilder filter = new StringBuilder("#day = :day");
        if (deviceId != null) {
            names.put("#dev", DEVICE_ID.name());
            values.put(":dev", DEVICE_ID.value(deviceId));
            filter.append(" AND #dev = :dev");
        }
        if (metricType != null) {
            names.put("#t", METRIC_TYPE.name());
            values.put(":t", METRIC_TYPE.value(metricType));
            filter.append(" AND #t = :t");
        }
        if (success != null) {
            names.put("#ok", SUCCESS.name());
            values.put(":ok", SUCCESS.value(success));
            filter.append(" AND #ok = :ok");
        }
        return dynamo.queryPaginator(QueryRequest.builder().tableName(table).keyConditionExpression("#k = :k")
                        .filterExpression(filter.toString()).expressionAttributeNames(names).expressionAttributeValues(values).build())
                .items().stream().map(item -> new DayWalk.Keyed(
                        TimingItem.sortKey(TIMESTAMP.get(item), METRIC_ID.get(item), SESSION_KEY.get(item)), item)).toList();
    }

    private static String sessionKey(Metric m) {
        return TimingItem.sessionKey(m.sessionId(), m.deviceId());
    }

    public static MetricView view(Map<String, AttributeValue> item) {
        return new MetricView(METRIC_ID.get(item), SESSION_ID.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item),
                COUNTRY.get(item), METRIC_TYPE.get(item), TIMESTAMP.storedText(item), DURATION_MS.get(item),
                SUCCESS.get(item, false), BREAKDOWN.get(item), CONTEXT.get(item), RECEIVED_AT.storedText(item));
    }
}
