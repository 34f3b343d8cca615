package kiosk.telemetry.session;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
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
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * {@code SessionsTable}: key {@code sessionId} (the contract's dedup key). Indexes by reporting day
 * ({@code day-index}, write-sharded {@code dayShard}), device, store and group, all sorted by
 * {@code ts = startedAt#sessionId} and projecting only what list filters need. The only code that touches it.
 */
@ApplicationScoped
public class SessionsTable {

    static final String SESSION_ID = "sessionId";
    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String STARTED_AT = "startedAt";
    static final String DAY = "day";
    static final String DAY_SHARD = "dayShard";
    static final String TS = "ts";
    static final String APP_VERSION = "appVersion";
    static final String EXPERIMENTS = "experiments";
    static final String STATUS = "status";
    static final String SEQ = "seq";
    static final String ENDED_AT = "endedAt";
    static final String EXIT_REASON = "exitReason";
    static final String FUNNEL = "funnel";
    static final String BEHAVIOR = "behavior";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String EXPIRES_AT = "expiresAt";

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
        item.put(SESSION_ID, Attr.s(s.sessionId()));
        item.put(DEVICE_ID, Attr.s(s.deviceId()));
        Attr.putS(item, STORE_ID, s.storeId());
        Attr.putS(item, GROUP_ID, s.groupId());
        Attr.putS(item, COUNTRY, s.countryCode());
        item.put(STARTED_AT, Attr.s(Timestamps.format(s.startedAt())));
        item.put(DAY, Attr.s(day.toString()));
        item.put(DAY_SHARD, Attr.s(DayShards.keyFor(day, s.sessionId(), config.shards().sessions())));
        item.put(TS, Attr.s(Timestamps.format(s.startedAt()) + "#" + s.sessionId()));
        Attr.putS(item, APP_VERSION, s.appVersion());
        if (s.experiments() != null) {
            item.put(EXPERIMENTS, Attr.s(Json.write(s.experiments())));
        }
        item.put(STATUS, Attr.s(s.status()));
        item.put(SEQ, Attr.n(s.seq()));
        item.put(CREATED_AT, Attr.s(Timestamps.format(s.createdAt())));
        item.put(UPDATED_AT, Attr.s(Timestamps.format(s.updatedAt())));
        item.put(EXPIRES_AT, Attr.n(calendar.expiresAt(day, config.rawRetention())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SESSION_ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new CreateOutcome(true, s.deviceId());
        } catch (ConditionalCheckFailedException e) {
            String owner = e.hasItem() ? Attr.str(e.item(), DEVICE_ID) : null;
            if (owner == null) {
                owner = get(s.sessionId()).map(Session::deviceId).orElse(null);
            }
            return new CreateOutcome(false, owner);
        }
    }

    public Optional<Session> get(String sessionId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(SESSION_ID, Attr.s(sessionId))).consistentRead(true).build());
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
        names.put("#seq", SEQ);
        names.put("#upd", UPDATED_AT);
        values.put(":seq", Attr.n(p.seq()));
        values.put(":expected", Attr.n(expectedSeq));
        values.put(":upd", Attr.s(Timestamps.format(now)));
        sets.add("#seq = :seq");
        sets.add("#upd = :upd");
        if (p.status() != null) {
            names.put("#status", STATUS);
            values.put(":status", Attr.s(p.status()));
            sets.add("#status = :status");
        }
        change(p.endedAt(), ENDED_AT, t -> Attr.s(Timestamps.format(t)), sets, removes, names, values);
        change(p.exitReason(), EXIT_REASON, Attr::s, sets, removes, names, values);
        change(p.funnel(), FUNNEL, j -> Attr.s(Json.write(j)), sets, removes, names, values);
        change(p.behavior(), BEHAVIOR, j -> Attr.s(Json.write(j)), sets, removes, names, values);
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        names.put("#id", SESSION_ID);
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Map.of(SESSION_ID, Attr.s(sessionId)))
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

    private static <T> void change(SessionPatch.Change<T> c, String attr, Function<T, AttributeValue> write,
                                   List<String> sets, List<String> removes, Map<String, String> names,
                                   Map<String, AttributeValue> values) {
        if (!c.present()) {
            return;
        }
        String n = "#" + attr;
        names.put(n, attr);
        if (c.value() == null) {
            removes.add(n);
        } else {
            values.put(":" + attr, write.apply(c.value()));
            sets.add(n + " = :" + attr);
        }
    }

    /** Filters of the list route; null means "any". */
    public record ListFilter(String deviceId, String storeId, String groupId, String status, String countryCode) {
    }

    public IndexPager.Result list(ListFilter f, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        String index;
        String pkAttr;
        List<List<String>> groups;
        if (f.deviceId() != null) {
            index = "device-index";
            pkAttr = DEVICE_ID;
            groups = List.of(List.of(f.deviceId()));
        } else if (f.storeId() != null) {
            index = "store-index";
            pkAttr = STORE_ID;
            groups = List.of(List.of(f.storeId()));
        } else if (f.groupId() != null) {
            index = "group-index";
            pkAttr = GROUP_ID;
            groups = List.of(List.of(f.groupId()));
        } else {
            index = "day-index";
            pkAttr = DAY_SHARD;
            groups = daysNewestFirst.stream().map(d -> DayShards.allKeys(d, config.shards().sessions())).toList();
        }
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        addFilter(pkAttr, STORE_ID, f.storeId(), conditions, names, values);
        addFilter(pkAttr, GROUP_ID, f.groupId(), conditions, names, values);
        addFilter(pkAttr, STATUS, f.status(), conditions, names, values);
        addFilter(pkAttr, COUNTRY, f.countryCode(), conditions, names, values);
        IndexPager.Filter filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
        var spec = new IndexPager.Spec(table, index, pkAttr, TS, List.of(SESSION_ID, pkAttr, TS), groups, range, filter, true);
        var page = pager.page(spec, limit, cursor, scope);
        return new IndexPager.Result(BatchReader.read(dynamo, table, SESSION_ID, page.items()), page.nextCursor());
    }

    private static void addFilter(String pkAttr, String attr, String value, List<String> conditions,
                                  Map<String, String> names, Map<String, AttributeValue> values) {
        if (value == null || attr.equals(pkAttr)) {
            return;
        }
        names.put("#f_" + attr, attr);
        values.put(":f_" + attr, Attr.s(value));
        conditions.add("#f_" + attr + " = :f_" + attr);
    }

    public static Session toSession(Map<String, AttributeValue> item) {
        return new Session(
                Attr.str(item, SESSION_ID), Attr.str(item, DEVICE_ID), Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID),
                Attr.str(item, COUNTRY), instant(item, STARTED_AT), Attr.str(item, APP_VERSION), json(item, EXPERIMENTS),
                Attr.str(item, STATUS), Attr.num(item, SEQ), instant(item, ENDED_AT), Attr.str(item, EXIT_REASON),
                json(item, FUNNEL), json(item, BEHAVIOR), instant(item, CREATED_AT), instant(item, UPDATED_AT));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Timestamps.parse(s);
    }

    private static JsonNode json(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Json.readStored(s);
    }
}
