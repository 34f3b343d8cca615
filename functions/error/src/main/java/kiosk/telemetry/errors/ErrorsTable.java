package kiosk.telemetry.errors;

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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@code ErrorsTable}: key {@code errorId}. Indexes by reporting day (4 shards), by device, and by fingerprint
 * (keys only, to resolve a group's errors). The only code that knows this table's attributes.
 */
@ApplicationScoped
public class ErrorsTable {

    static final String ERROR_ID = "errorId";
    static final String SESSION_ID = "sessionId";
    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String TIMESTAMP = "timestamp";
    static final String SEVERITY = "severity";
    static final String CATEGORY = "category";
    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String STACK = "stack";
    static final String BREADCRUMBS = "breadcrumbs";
    static final String DEVICE_STATE = "deviceState";
    static final String FINGERPRINT = "fingerprint";
    static final String RESOLVED = "resolved";
    static final String RESOLVED_AT = "resolvedAt";
    static final String RESOLVED_BY = "resolvedBy";
    static final String NOTE = "note";
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

    public ErrorsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().errors();
    }

    /** The conditional put of a new error, as one item of a transaction. */
    TransactWriteItem putIfAbsent(ErrorReport e) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(e))
                .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", ERROR_ID)).build()).build();
    }

    /** How many bytes the error's item takes, as DynamoDB counts them against its item size limit. */
    public long storedBytes(ErrorReport e) {
        return Attr.itemBytes(item(e));
    }

    private Map<String, AttributeValue> item(ErrorReport e) {
        LocalDate day = calendar.dayOf(e.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ERROR_ID, Attr.s(e.errorId()));
        Attr.putS(item, SESSION_ID, e.sessionId());
        item.put(DEVICE_ID, Attr.s(e.deviceId()));
        Attr.putS(item, STORE_ID, e.storeId());
        Attr.putS(item, GROUP_ID, e.groupId());
        Attr.putS(item, COUNTRY, e.countryCode());
        String ts = Timestamps.format(e.timestamp());
        item.put(TIMESTAMP, Attr.s(ts));
        item.put(SEVERITY, Attr.s(e.severity()));
        item.put(CATEGORY, Attr.s(e.category()));
        Attr.putS(item, CODE, e.code());
        item.put(MESSAGE, Attr.s(e.message()));
        Attr.putS(item, STACK, e.stack());
        if (e.breadcrumbs() != null) {
            item.put(BREADCRUMBS, Attr.s(Json.write(e.breadcrumbs())));
        }
        if (e.deviceState() != null) {
            item.put(DEVICE_STATE, Attr.s(Json.write(e.deviceState())));
        }
        item.put(FINGERPRINT, Attr.s(e.fingerprint()));
        item.put(RESOLVED, Attr.bool(false));
        item.put(DAY, Attr.s(day.toString()));
        item.put(DAY_SHARD, Attr.s(DayShards.keyFor(day, e.errorId(), config.shards().errors())));
        item.put(TS, Attr.s(ts + "#" + e.errorId()));
        item.put(RECEIVED_AT, Attr.s(Timestamps.format(e.receivedAt())));
        item.put(EXPIRES_AT, Attr.n(calendar.expiresAt(day, config.rawRetention())));
        return item;
    }

    public Optional<Map<String, AttributeValue>> get(String errorId) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(Map.of(ERROR_ID, Attr.s(errorId))).consistentRead(true));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(resp.item()) : Optional.empty();
    }

    /** Marks the error resolved; the first resolution's time, author and note stay. Empty when unknown. */
    public Optional<Map<String, AttributeValue>> resolve(String errorId, String by, String note, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":t", Attr.bool(true));
        values.put(":now", Attr.s(Timestamps.format(now)));
        values.put(":by", Attr.s(by));
        String update = "SET #r = :t, #ra = if_not_exists(#ra, :now), #rb = if_not_exists(#rb, :by)";
        Map<String, String> names = new HashMap<>(Map.of("#r", RESOLVED, "#ra", RESOLVED_AT, "#rb", RESOLVED_BY, "#id", ERROR_ID));
        if (note != null) {
            values.put(":note", Attr.s(note));
            names.put("#n", NOTE);
            update += ", #n = if_not_exists(#n, :note)";
        }
        String expr = update;
        try {
            var resp = dynamo.updateItem(b -> b.tableName(table).key(Map.of(ERROR_ID, Attr.s(errorId)))
                    .updateExpression(expr).conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
            return Optional.of(resp.attributes());
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
    }

    /** Ids of every error with this fingerprint (still in the table), for resolving a group. */
    public List<String> idsWithFingerprint(String fingerprint) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var req = QueryRequest.builder().tableName(table).indexName("fingerprint-index")
                    .keyConditionExpression("#f = :f").expressionAttributeNames(Map.of("#f", FINGERPRINT))
                    .expressionAttributeValues(Map.of(":f", Attr.s(fingerprint)));
            if (start != null) {
                req.exclusiveStartKey(start);
            }
            var resp = dynamo.query(req.build());
            resp.items().forEach(it -> ids.add(Attr.str(it, ERROR_ID)));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }

    public IndexPager.Result list(String deviceId, String severity, String category, Boolean resolved, Instant from, Instant to,
                                  List<LocalDate> daysNewestFirst, int limit, String cursor, String scope) {
        String index = deviceId != null ? "device-index" : "day-index";
        String pkAttr = deviceId != null ? DEVICE_ID : DAY_SHARD;
        List<List<String>> groups = deviceId != null ? List.of(List.of(deviceId))
                : daysNewestFirst.stream().map(d -> DayShards.allKeys(d, config.shards().errors())).toList();
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (severity != null) {
            conditions.add("#sev = :sev");
            names.put("#sev", SEVERITY);
            values.put(":sev", Attr.s(severity));
        }
        if (category != null) {
            conditions.add("#cat = :cat");
            names.put("#cat", CATEGORY);
            values.put(":cat", Attr.s(category));
        }
        if (resolved != null) {
            conditions.add("#res = :res");
            names.put("#res", RESOLVED);
            values.put(":res", Attr.bool(resolved));
        }
        IndexPager.Filter filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
        var spec = new IndexPager.Spec(table, index, pkAttr, TS, List.of(ERROR_ID, pkAttr, TS), groups, range, filter, true);
        return pager.page(spec, limit, cursor, scope);
    }

    public static ErrorView view(Map<String, AttributeValue> item) {
        String crumbs = Attr.str(item, BREADCRUMBS);
        String state = Attr.str(item, DEVICE_STATE);
        return new ErrorView(Attr.str(item, ERROR_ID), Attr.str(item, SESSION_ID), Attr.str(item, DEVICE_ID),
                Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID), Attr.str(item, COUNTRY), Attr.str(item, TIMESTAMP),
                Attr.str(item, SEVERITY), Attr.str(item, CATEGORY), Attr.str(item, CODE), Attr.str(item, MESSAGE),
                Attr.str(item, STACK), crumbs == null ? null : Json.readStored(crumbs), state == null ? null : Json.readStored(state),
                Attr.str(item, FINGERPRINT), Attr.flag(item, RESOLVED), Attr.str(item, RESOLVED_AT), Attr.str(item, RESOLVED_BY),
                Attr.str(item, NOTE), Attr.str(item, RECEIVED_AT));
    }
}
