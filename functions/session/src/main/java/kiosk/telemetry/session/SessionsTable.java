package kiosk.telemetry.session;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.SessionItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kiosk.telemetry.core.store.SessionItem.APP_VERSION;
import static kiosk.telemetry.core.store.SessionItem.BEHAVIOR;
import static kiosk.telemetry.core.store.SessionItem.BY_DAY;
import static kiosk.telemetry.core.store.SessionItem.BY_DEVICE;
import static kiosk.telemetry.core.store.SessionItem.BY_GROUP;
import static kiosk.telemetry.core.store.SessionItem.BY_STORE;
import static kiosk.telemetry.core.store.SessionItem.COUNTRY;
import static kiosk.telemetry.core.store.SessionItem.CREATED_AT;
import static kiosk.telemetry.core.store.SessionItem.DAY;
import static kiosk.telemetry.core.store.SessionItem.DAY_SHARD;
import static kiosk.telemetry.core.store.SessionItem.DEVICE_ID;
import static kiosk.telemetry.core.store.SessionItem.ENDED_AT;
import static kiosk.telemetry.core.store.SessionItem.EXIT_REASON;
import static kiosk.telemetry.core.store.SessionItem.EXPERIMENTS;
import static kiosk.telemetry.core.store.SessionItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.SessionItem.FUNNEL;
import static kiosk.telemetry.core.store.SessionItem.GROUP_ID;
import static kiosk.telemetry.core.store.SessionItem.SEQ;
import static kiosk.telemetry.core.store.SessionItem.SESSION_ID;
import static kiosk.telemetry.core.store.SessionItem.STARTED_AT;
import static kiosk.telemetry.core.store.SessionItem.STATUS;
import static kiosk.telemetry.core.store.SessionItem.STORE_ID;
import static kiosk.telemetry.core.store.SessionItem.TS;
import static kiosk.telemetry.core.store.SessionItem.UPDATED_AT;

/**
 * {@code SessionsTable}, items as {@link SessionItem} defines them; its indexes project only what list filters need,
 * so a list page reads the whole sessions by key. The only code that writes it.
 */
@ApplicationScoped
public class SessionsTable {

    /** The outcome of a create: the stored session's owner tells "duplicate" from "taken by another device". */
    public record CreateOutcome(boolean created, String ownerDeviceId) {
    }

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public SessionsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().sessions();
    }

    /** One conditional put: new, or the existing item's owner (the first write wins). */
    public CreateOutcome create(Session s) {
        LocalDate day = calendar.dayOf(s.startedAt());
        Map<String, AttributeValue> item = new HashMap<>();
        SESSION_ID.put(item, s.sessionId());
        DEVICE_ID.put(item, s.deviceId());
        STORE_ID.put(item, s.storeId());
        GROUP_ID.put(item, s.groupId());
        COUNTRY.put(item, s.countryCode());
        STARTED_AT.put(item, s.startedAt());
        DAY.put(item, day);
        DAY_SHARD.put(item, SessionItem.dayShard(day, s.sessionId(), config.shards().sessions()));
        TS.put(item, SessionItem.sortKey(s.startedAt(), s.sessionId()));
        APP_VERSION.put(item, s.appVersion());
        EXPERIMENTS.put(item, s.experiments());
        STATUS.put(item, s.status());
        SEQ.put(item, s.seq());
        CREATED_AT.put(item, s.createdAt());
        UPDATED_AT.put(item, s.updatedAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SESSION_ID.name()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new CreateOutcome(true, s.deviceId());
        } catch (ConditionalCheckFailedException e) {
            String owner = e.hasItem() ? DEVICE_ID.get(e.item()) : null;
            if (owner == null) {
                owner = get(s.sessionId()).map(Session::deviceId).orElse(null);
            }
            return new CreateOutcome(false, owner);
        }
    }

    public Optional<Session> get(String sessionId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(SESSION_ID.key(sessionId)).consistentRead(true).build());
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toSession(resp.item())) : Optional.empty();
    }

    /**
     * Applies a PATCH if the stored {@code seq} is still {@code expectedSeq} (optimistic concurrency: a concurrent
     * PATCH makes this return false, and the caller re-reads and decides again).
     */
    public boolean applyPatch(String sessionId, SessionPatch p, long expectedSeq, Instant now) {
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#seq", SEQ.name());
        names.put("#upd", UPDATED_AT.name());
        values.put(":seq", SEQ.value(p.seq()));
        values.put(":expected", SEQ.value(expectedSeq));
        values.put(":upd", UPDATED_AT.value(now));
        sets.add("#seq = :seq");
        sets.add("#upd = :upd");
        if (p.status() != null) {
            names.put("#status", STATUS.name());
            values.put(":status", STATUS.value(p.status()));
            sets.add("#status = :status");
        }
        change(p.endedAt(), ENDED_AT, sets, removes, names, values);
        change(p.exitReason(), EXIT_REASON, sets, removes, names, values);
        change(p.funnel(), FUNNEL, sets, removes, names, values);
        change(p.behavior(), BEHAVIOR, sets, removes, names, values);
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        names.put("#id", SESSION_ID.name());
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(SESSION_ID.key(sessionId))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(#id) AND #seq = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static <T> void change(SessionPatch.Change<T> c, Attribute<T> attr, List<String> sets, List<String> removes,
                                   Map<String, String> names, Map<String, AttributeValue> values) {
        if (!c.present()) {
            return;
        }
        String n = "#" + attr.name();
        names.put(n, attr.name());
        if (c.value() == null) {
            removes.add(n);
        } else {
            values.put(":" + attr.name(), attr.value(c.value()));
            sets.add(n + " = :" + attr.name());
        }
    }

    /** Filters of the list route; null means "any". */
    public record ListFilter(String deviceId, String storeId, String groupId, String status, String countryCode) {
    }

    public IndexPager.Result list(ListFilter f, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, SESSION_ID)
                .byPartition(BY_DEVICE, f.deviceId())
                .byPartition(BY_STORE, f.storeId())
                .byPartition(BY_GROUP, f.groupId())
                .byDays(BY_DAY, daysNewestFirst, config.shards().sessions())
                .whereEqual(STORE_ID, f.storeId())
                .whereEqual(GROUP_ID, f.groupId())
                .whereEqual(STATUS, f.status())
                .whereEqual(COUNTRY, f.countryCode())
                .between(from, to)
                .spec();
        var page = pager.page(spec, limit, cursor, scope);
        return new IndexPager.Result(BatchReader.read(dynamo, table, SESSION_ID.name(), page.items()), page.nextCursor());
    }

    public static Session toSession(Map<String, AttributeValue> item) {
        return new Session(SESSION_ID.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item), COUNTRY.get(item),
                STARTED_AT.get(item), APP_VERSION.get(item), EXPERIMENTS.get(item), STATUS.get(item), SEQ.get(item), ENDED_AT.get(item),
                EXIT_REASON.get(item), FUNNEL.get(item), BEHAVIOR.get(item), CREATED_AT.get(item), UPDATED_AT.get(item));
    }
}
