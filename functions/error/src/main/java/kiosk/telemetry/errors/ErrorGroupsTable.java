package kiosk.telemetry.errors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ErrorGroupsTable}: key {@code fingerprint} + {@code member}. The entry {@code member = "group"} holds the
 * group's description (category, code, sample, first/last seen, status) and is never written in a transaction;
 * the counts live in counter entries, {@code member = "count#errors#<nn>"} ({@code count}, the shard chosen by the
 * error's id) and {@code "count#devices#<nn>"} ({@code devices}, by the device's id), so that concurrent reports of
 * one fingerprint spread their transactions over them; one entry {@code member = "device#<id>"} per affected device
 * makes the distinct-device count exact. A group's counts are the sums over its counter entries plus the
 * {@code count} and {@code devices} a group entry written before the counters existed still carries.
 * {@code recent-index} ({@code kind}, {@code lastSeen}) lists groups, most recently seen first; only the group
 * entry has those attributes. The only code that knows this table's attributes.
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
    static final String COUNTERS = "count#";
    static final String ERROR_COUNTER = COUNTERS + "errors#";
    static final String DEVICE_COUNTER = COUNTERS + "devices#";
    /** Counter reads of one list page in flight at once. */
    private static final int READERS = 16;

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final String table;
    private final int counters;
    private final ExecutorService readers;

    public ErrorGroupsTable(DynamoDbClient dynamo, IndexPager pager, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.table = config.tables().errorGroups();
        this.counters = config.shards().errorGroupCounters();
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(READERS, r -> {
            Thread t = new Thread(r, "group-counters-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static Map<String, AttributeValue> groupKey(String fingerprint) {
        return Map.of(FINGERPRINT, Attr.s(fingerprint), MEMBER, Attr.s(GROUP_MEMBER));
    }

    private String counter(String prefix, String id) {
        return prefix + String.format("%02d", DayShards.shardOf(id, counters));
    }

    /** One more error in the counter entry of the error's id, as one item of a transaction. */
    TransactWriteItem countError(ErrorReport e) {
        return add(e.fingerprint(), counter(ERROR_COUNTER, e.errorId()), COUNT);
    }

    /** The device's membership entry (only if new), as one item of a transaction. */
    TransactWriteItem addMember(String fingerprint, String deviceId) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(Map.of(FINGERPRINT, Attr.s(fingerprint), MEMBER, Attr.s("device#" + deviceId)))
                .conditionExpression("attribute_not_exists(#m)").expressionAttributeNames(Map.of("#m", MEMBER)).build()).build();
    }

    /** One more distinct device in the counter entry of its id, as one item of a transaction (paired with {@link #addMember}). */
    TransactWriteItem countDevice(String fingerprint, String deviceId) {
        return add(fingerprint, counter(DEVICE_COUNTER, deviceId), DEVICES);
    }

    private TransactWriteItem add(String fingerprint, String member, String attr) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Map.of(FINGERPRINT, Attr.s(fingerprint), MEMBER, Attr.s(member)))
                .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", attr))
                .expressionAttributeValues(Map.of(":one", Attr.n(1))).build()).build();
    }

    /**
     * The group entry for an error, outside any transaction and safe to repeat: created with the error's category,
     * code and sample if new; lastSeen moved forward, firstSeen back to the error's time where needed; a resolved
     * group regressed when the error was received after the resolution. One write unless firstSeen or the status
     * must change.
     */
    void describe(ErrorReport e) {
        Map<String, AttributeValue> before = createOrMoveLastSeen(e);
        String ts = Timestamps.format(e.timestamp());
        String firstSeen = Attr.str(before, FIRST_SEEN);
        if (firstSeen != null && firstSeen.compareTo(ts) > 0) {
            conditional(e.fingerprint(), "SET #x = :t", "#x > :t", FIRST_SEEN, ts);
        }
        if ("resolved".equals(Attr.str(before, STATUS))) {
            regressIfResolvedBefore(e.fingerprint(), e.receivedAt());
        }
    }

    /** Creates the group or moves its lastSeen forward; the entry as it was before (empty if new). */
    private Map<String, AttributeValue> createOrMoveLastSeen(ErrorReport e) {
        Map<String, String> names = new HashMap<>(Map.of("#k", KIND, "#cat", CATEGORY, "#sm", SAMPLE_MESSAGE,
                "#si", SAMPLE_ERROR_ID, "#fs", FIRST_SEEN, "#ls", LAST_SEEN, "#st", STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", Attr.s(GROUP_MEMBER), ":cat", Attr.s(e.category()),
                ":sm", Attr.s(e.message()), ":si", Attr.s(e.errorId()), ":ts", Attr.s(Timestamps.format(e.timestamp())),
                ":open", Attr.s("open")));
        String update = "SET #k = :k, #cat = :cat, #sm = if_not_exists(#sm, :sm), #si = if_not_exists(#si, :si), "
                + "#fs = if_not_exists(#fs, :ts), #ls = :ts, #st = if_not_exists(#st, :open)";
        if (e.code() != null) {
            names.put("#code", CODE);
            values.put(":code", Attr.s(e.code()));
            update += ", #code = :code";
        }
        String expr = update;
        try {
            var resp = dynamo.updateItem(b -> b.tableName(table).key(groupKey(e.fingerprint())).updateExpression(expr)
                    .conditionExpression("attribute_not_exists(#ls) OR #ls < :ts").expressionAttributeNames(names)
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return resp.hasAttributes() ? resp.attributes() : Map.of();
        } catch (ConditionalCheckFailedException seenLater) {
            return seenLater.hasItem() ? seenLater.item() : Map.of();
        }
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
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(view(withCounts(resp.item()))) : Optional.empty();
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
            return Optional.of(view(withCounts(resp.attributes())));
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
        var page = pager.page(spec, limit, cursor, scope);
        return new IndexPager.Result(allWithCounts(page.items()), page.nextCursor());
    }

    /** The groups with {@code count} and {@code devices} set to their totals, read in parallel. */
    private List<Map<String, AttributeValue>> allWithCounts(List<Map<String, AttributeValue>> groups) {
        List<Future<Map<String, AttributeValue>>> reads = new ArrayList<>(groups.size());
        for (var g : groups) {
            reads.add(readers.submit(() -> withCounts(g)));
        }
        List<Map<String, AttributeValue>> out = new ArrayList<>(groups.size());
        for (var r : reads) {
            try {
                out.add(r.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkClientException.create("interrupted while reading error group counts");
            }
        }
        return out;
    }

    /** The group with {@code count} and {@code devices} set to their totals: its counter entries and its own. */
    private Map<String, AttributeValue> withCounts(Map<String, AttributeValue> group) {
        long count = orZero(Attr.num(group, COUNT));
        long devices = orZero(Attr.num(group, DEVICES));
        Map<String, AttributeValue> start = null;
        do {
            var req = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#f = :f AND begins_with(#m, :c)").projectionExpression("#n, #d")
                    .expressionAttributeNames(Map.of("#f", FINGERPRINT, "#m", MEMBER, "#n", COUNT, "#d", DEVICES))
                    .expressionAttributeValues(Map.of(":f", group.get(FINGERPRINT), ":c", Attr.s(COUNTERS)));
            if (start != null) {
                req.exclusiveStartKey(start);
            }
            var resp = dynamo.query(req.build());
            for (var c : resp.items()) {
                count += orZero(Attr.num(c, COUNT));
                devices += orZero(Attr.num(c, DEVICES));
            }
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null);
        Map<String, AttributeValue> out = new HashMap<>(group);
        out.put(COUNT, Attr.n(count));
        out.put(DEVICES, Attr.n(devices));
        return out;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    @PreDestroy
    void shutdown() {
        readers.shutdownNow();
    }

    /** A group as read by {@link #get}, {@link #resolve} and {@link #list}, whose counts are totals. */
    public static ErrorGroupView view(Map<String, AttributeValue> item) {
        Long count = Attr.num(item, COUNT);
        Long devices = Attr.num(item, DEVICES);
        return new ErrorGroupView(Attr.str(item, FINGERPRINT), Attr.str(item, CATEGORY), Attr.str(item, CODE),
                Attr.str(item, SAMPLE_MESSAGE), Attr.str(item, SAMPLE_ERROR_ID), count == null ? 0 : count,
                devices == null ? 0 : devices, Attr.str(item, FIRST_SEEN), Attr.str(item, LAST_SEEN), Attr.str(item, STATUS),
                Attr.str(item, RESOLVED_AT), Attr.str(item, RESOLVED_BY), Attr.str(item, NOTE));
    }
}
