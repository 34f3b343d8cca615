package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ErrorGroupsTable}: key {@code fingerprint} + {@code member}. The entry {@code member = "group"} holds the
 * group (counts, first/last seen, sample, status); one entry {@code member = "device#<id>"} per affected device
 * makes the distinct-device count exact. {@code recent-index} ({@code kind}, {@code lastSeen}) lists groups,
 * most recently seen first. The only code that knows this table's attributes.
 */
@ApplicationScoped
public class ErrorGroupsTable {

    static final String FINGERPRINT = "fingerprint";
    static final String MEMBER = "member";
    static final String GROUP_MEMBER = "group";
    static final String KIND = "kind";
    static final String CATEGORY = "category";
    static final String CODE = "code";
    static final String SAMPLE_MESSAGE = "sampleMessage";
    static final String SAMPLE_ERROR_ID = "sampleErrorId";
    static final String COUNT = "count";
    static final String DEVICES = "devices";
    static final String FIRST_SEEN = "firstSeen";
    static final String LAST_SEEN = "lastSeen";
    static final String STATUS = "status";
    static final String RESOLVED_AT = "resolvedAt";
    static final String RESOLVED_BY = "resolvedBy";
    static final String NOTE = "note";

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final String table;

    public ErrorGroupsTable(DynamoDbClient dynamo, IndexPager pager, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.table = config.tables().errorGroups();
    }

    private static Map<String, AttributeValue> groupKey(String fingerprint) {
        return Map.of(FINGERPRINT, Attr.s(fingerprint), MEMBER, Attr.s(GROUP_MEMBER));
    }

    /** Creates the group on its first error and counts one more error, as one item of a transaction. */
    TransactWriteItem countError(ErrorReport e) {
        String ts = Timestamps.format(e.timestamp());
        Map<String, String> names = new HashMap<>(Map.of("#k", KIND, "#cat", CATEGORY, "#sm", SAMPLE_MESSAGE,
                "#si", SAMPLE_ERROR_ID, "#fs", FIRST_SEEN, "#ls", LAST_SEEN, "#st", STATUS, "#n", COUNT, "#d", DEVICES));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", Attr.s(GROUP_MEMBER), ":cat", Attr.s(e.category()),
                ":sm", Attr.s(e.message()), ":si", Attr.s(e.errorId()), ":ts", Attr.s(ts), ":open", Attr.s("open"),
                ":one", Attr.n(1), ":zero", Attr.n(0)));
        String update = "SET #k = :k, #cat = :cat, #sm = if_not_exists(#sm, :sm), #si = if_not_exists(#si, :si), "
                + "#fs = if_not_exists(#fs, :ts), #ls = if_not_exists(#ls, :ts), #st = if_not_exists(#st, :open), "
                + "#d = if_not_exists(#d, :zero)";
        if (e.code() != null) {
            names.put("#code", CODE);
            values.put(":code", Attr.s(e.code()));
            update += ", #code = :code";
        }
        update += " ADD #n :one";
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(groupKey(e.fingerprint()))
                .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    /** The device's membership entry (only if new), as one item of a transaction. */
    TransactWriteItem addMember(String fingerprint, String deviceId) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(Map.of(FINGERPRINT, Attr.s(fingerprint), MEMBER, Attr.s("device#" + deviceId)))
                .conditionExpression("attribute_not_exists(#m)").expressionAttributeNames(Map.of("#m", MEMBER)).build()).build();
    }

    /** One more distinct device, as one item of a transaction (paired with {@link #addMember}). */
    TransactWriteItem countDevice(String fingerprint) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(groupKey(fingerprint))
                .updateExpression("ADD #d :one").expressionAttributeNames(Map.of("#d", DEVICES))
                .expressionAttributeValues(Map.of(":one", Attr.n(1))).build()).build();
    }

    /** Moves lastSeen forward and firstSeen back to {@code t} where needed (idempotent). */
    void widenSeen(String fingerprint, Instant t) {
        String ts = Timestamps.format(t);
        conditional(fingerprint, "SET #x = :t", "#x < :t", LAST_SEEN, ts);
        conditional(fingerprint, "SET #x = :t", "#x > :t", FIRST_SEEN, ts);
    }

    private void conditional(String fingerprint, String update, String condition, String attr, String ts) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(groupKey(fingerprint)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#x", attr))
                    .expressionAttributeValues(Map.of(":t", Attr.s(ts))));
        } catch (ConditionalCheckFailedException alreadyWider) {
            // nothing to move
        }
    }

    /** A resolved group gets a new error received after its resolution: it is regressed (idempotent). */
    void regressIfResolvedBefore(String fingerprint, Instant receivedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(groupKey(fingerprint))
                    .updateExpression("SET #st = :reg").conditionExpression("#st = :res AND #ra < :at")
                    .expressionAttributeNames(Map.of("#st", STATUS, "#ra", RESOLVED_AT))
                    .expressionAttributeValues(Map.of(":reg", Attr.s("regressed"), ":res", Attr.s("resolved"),
                            ":at", Attr.s(Timestamps.format(receivedAt)))));
        } catch (ConditionalCheckFailedException notResolved) {
            // open, regressed already, or resolved after this error arrived
        }
    }

    public Optional<ErrorGroupView> get(String fingerprint) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(groupKey(fingerprint)).consistentRead(true));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(view(resp.item())) : Optional.empty();
    }

    /** Resolves the group now (a regressed group can be resolved again). Empty when unknown. */
    public Optional<ErrorGroupView> resolve(String fingerprint, String by, String note, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#st", STATUS, "#ra", RESOLVED_AT, "#rb", RESOLVED_BY, "#m", MEMBER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":res", Attr.s("resolved"), ":now", Attr.s(Timestamps.format(now)),
                ":by", Attr.s(by)));
        String update = "SET #st = :res, #ra = :now, #rb = :by";
        if (note != null) {
            names.put("#no", NOTE);
            values.put(":no", Attr.s(note));
            update += ", #no = :no";
        }
        String expr = update;
        try {
            var resp = dynamo.updateItem(b -> b.tableName(table).key(groupKey(fingerprint)).updateExpression(expr)
                    .conditionExpression("attribute_exists(#m)").expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(view(resp.attributes()));
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
    }

    /** Groups seen in [from, to), most recently seen first; filters on category and resolution. */
    public IndexPager.Result list(String category, Boolean resolved, Instant from, Instant to, int limit, String cursor, String scope) {
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (to != null) {
            conditions.add("#fs < :to");
            names.put("#fs", FIRST_SEEN);
            values.put(":to", Attr.s(Timestamps.format(to)));
        }
        if (category != null) {
            conditions.add("#cat = :cat");
            names.put("#cat", CATEGORY);
            values.put(":cat", Attr.s(category));
        }
        if (resolved != null) {
            conditions.add(resolved ? "#st = :res" : "#st <> :res");
            names.put("#st", STATUS);
            values.put(":res", Attr.s("resolved"));
        }
        IndexPager.Filter filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), null);
        var spec = new IndexPager.Spec(table, "recent-index", KIND, LAST_SEEN, List.of(FINGERPRINT, MEMBER, KIND, LAST_SEEN),
                List.of(List.of(GROUP_MEMBER)), range, filter, true);
        return pager.page(spec, limit, cursor, scope);
    }

    public static ErrorGroupView view(Map<String, AttributeValue> item) {
        Long count = Attr.num(item, COUNT);
        Long devices = Attr.num(item, DEVICES);
        return new ErrorGroupView(Attr.str(item, FINGERPRINT), Attr.str(item, CATEGORY), Attr.str(item, CODE),
                Attr.str(item, SAMPLE_MESSAGE), Attr.str(item, SAMPLE_ERROR_ID), count == null ? 0 : count,
                devices == null ? 0 : devices, Attr.str(item, FIRST_SEEN), Attr.str(item, LAST_SEEN), Attr.str(item, STATUS),
                Attr.str(item, RESOLVED_AT), Attr.str(item, RESOLVED_BY), Attr.str(item, NOTE));
    }
}
