package kiosk.telemetry.errors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.ErrorGroupItem;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
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

import static kiosk.telemetry.core.store.ErrorGroupItem.CATEGORY;
import static kiosk.telemetry.core.store.ErrorGroupItem.CODE;
import static kiosk.telemetry.core.store.ErrorGroupItem.COUNT;
import static kiosk.telemetry.core.store.ErrorGroupItem.COUNTERS;
import static kiosk.telemetry.core.store.ErrorGroupItem.DEVICES;
import static kiosk.telemetry.core.store.ErrorGroupItem.FINGERPRINT;
import static kiosk.telemetry.core.store.ErrorGroupItem.FIRST_SEEN;
import static kiosk.telemetry.core.store.ErrorGroupItem.GROUP_MEMBER;
import static kiosk.telemetry.core.store.ErrorGroupItem.KIND;
import static kiosk.telemetry.core.store.ErrorGroupItem.LAST_SEEN;
import static kiosk.telemetry.core.store.ErrorGroupItem.MEMBER;
import static kiosk.telemetry.core.store.ErrorGroupItem.NOTE;
import static kiosk.telemetry.core.store.ErrorGroupItem.RECENT;
import static kiosk.telemetry.core.store.ErrorGroupItem.RESOLVED_AT;
import static kiosk.telemetry.core.store.ErrorGroupItem.RESOLVED_BY;
import static kiosk.telemetry.core.store.ErrorGroupItem.SAMPLE_ERROR_ID;
import static kiosk.telemetry.core.store.ErrorGroupItem.SAMPLE_MESSAGE;
import static kiosk.telemetry.core.store.ErrorGroupItem.STATUS;
import static kiosk.telemetry.core.store.ErrorGroupItem.STATUS_OPEN;
import static kiosk.telemetry.core.store.ErrorGroupItem.STATUS_REGRESSED;
import static kiosk.telemetry.core.store.ErrorGroupItem.STATUS_RESOLVED;

/**
 * {@code ErrorGroupsTable}, items as {@link ErrorGroupItem} defines them: a group's description item is never written
 * in a transaction, its counts live in counter items, so concurrent reports of one fingerprint spread their
 * transactions over them. A group's counts are the sums over its counter items plus the {@code count} and
 * {@code devices} a description item written before the counters existed still carries. The only code that writes
 * this table.
 */
@ApplicationScoped
public class ErrorGroupsTable {

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
        return FINGERPRINT.key(fingerprint, MEMBER, GROUP_MEMBER);
    }

    /** One more error in the counter entry of the error's id, as one item of a transaction. */
    TransactWriteItem countError(ErrorReport e) {
        return add(e.fingerprint(), ErrorGroupItem.errorCounter(e.errorId(), counters), COUNT);
    }

    /** The device's membership entry (only if new), as one item of a transaction. */
    TransactWriteItem addMember(String fingerprint, String deviceId) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(FINGERPRINT.key(fingerprint, MEMBER, ErrorGroupItem.deviceMember(deviceId)))
                .conditionExpression("attribute_not_exists(#m)").expressionAttributeNames(Map.of("#m", MEMBER.name())).build()).build();
    }

    /** One more distinct device in the counter entry of its id, as one item of a transaction (paired with {@link #addMember}). */
    TransactWriteItem countDevice(String fingerprint, String deviceId) {
        return add(fingerprint, ErrorGroupItem.deviceCounter(deviceId, counters), DEVICES);
    }

    private TransactWriteItem add(String fingerprint, String member, Attribute<Long> counter) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(FINGERPRINT.key(fingerprint, MEMBER, member))
                .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", counter.name()))
                .expressionAttributeValues(Map.of(":one", counter.value(1L))).build()).build();
    }

    /**
     * The group entry for an error, outside any transaction and safe to repeat: created with the error's category,
     * code and sample if new; lastSeen moved forward, firstSeen back to the error's time where needed; a resolved
     * group regressed when the error was received after the resolution. One write unless firstSeen or the status
     * must change.
     */
    void describe(ErrorReport e) {
        Map<String, AttributeValue> before = createOrMoveLastSeen(e);
        Instant firstSeen = FIRST_SEEN.get(before);
        if (firstSeen != null && firstSeen.isAfter(e.timestamp())) {
            moveFirstSeenBack(e.fingerprint(), e.timestamp());
        }
        if (STATUS_RESOLVED.equals(STATUS.get(before))) {
            regressIfResolvedBefore(e.fingerprint(), e.receivedAt());
        }
    }

    /** Creates the group or moves its lastSeen forward; the entry as it was before (empty if new). */
    private Map<String, AttributeValue> createOrMoveLastSeen(ErrorReport e) {
        Map<String, String> names = new HashMap<>(Map.of("#k", KIND.name(), "#cat", CATEGORY.name(), "#sm", SAMPLE_MESSAGE.name(),
                "#si", SAMPLE_ERROR_ID.name(), "#fs", FIRST_SEEN.name(), "#ls", LAST_SEEN.name(), "#st", STATUS.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", KIND.value(GROUP_MEMBER), ":cat", CATEGORY.value(e.category()),
                ":sm", SAMPLE_MESSAGE.value(e.message()), ":si", SAMPLE_ERROR_ID.value(e.errorId()), ":ts", LAST_SEEN.value(e.timestamp()),
                ":open", STATUS.value(STATUS_OPEN)));
        String update = "SET #k = :k, #cat = :cat, #sm = if_not_exists(#sm, :sm), #si = if_not_exists(#si, :si), "
                + "#fs = if_not_exists(#fs, :ts), #ls = :ts, #st = if_not_exists(#st, :open)";
        if (e.code() != null) {
            names.put("#code", CODE.name());
            values.put(":code", CODE.value(e.code()));
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

    private void moveFirstSeenBack(String fingerprint, Instant seen) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(groupKey(fingerprint)).updateExpression("SET #x = :t")
                    .conditionExpression("#x > :t").expressionAttributeNames(Map.of("#x", FIRST_SEEN.name()))
                    .expressionAttributeValues(Map.of(":t", FIRST_SEEN.value(seen))));
        } catch (ConditionalCheckFailedException alreadyWider) {
            // nothing to move
        }
    }

    /** A resolved group gets a new error received after its resolution: it is regressed (idempotent). */
    void regressIfResolvedBefore(String fingerprint, Instant receivedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(groupKey(fingerprint))
                    .updateExpression("SET #st = :reg").conditionExpression("#st = :res AND #ra < :at")
                    .expressionAttributeNames(Map.of("#st", STATUS.name(), "#ra", RESOLVED_AT.name()))
                    .expressionAttributeValues(Map.of(":reg", STATUS.value(STATUS_REGRESSED), ":res", STATUS.value(STATUS_RESOLVED),
                            ":at", RESOLVED_AT.value(receivedAt))));
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
        Map<String, String> names = new HashMap<>(Map.of("#st", STATUS.name(), "#ra", RESOLVED_AT.name(), "#rb", RESOLVED_BY.name(),
                "#m", MEMBER.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":res", STATUS.value(STATUS_RESOLVED), ":now", RESOLVED_AT.value(now),
                ":by", RESOLVED_BY.value(by)));
        String update = "SET #st = :res, #ra = :now, #rb = :by";
        if (note != null) {
            names.put("#no", NOTE.name());
            values.put(":no", NOTE.value(note));
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
        var plan = ListPlan.on(table, FINGERPRINT, MEMBER)
                .byPartition(RECENT, GROUP_MEMBER)
                .whereBelow(FIRST_SEEN, to)
                .whereEqual(CATEGORY, category)
                .between(from, null);
        if (resolved != null) {
            if (resolved) {
                plan.whereEqual(STATUS, STATUS_RESOLVED);
            } else {
                plan.whereNot(STATUS, STATUS_RESOLVED);
            }
        }
        var page = pager.page(plan.spec(), limit, cursor, scope);
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
        long count = COUNT.get(group, 0L);
        long devices = DEVICES.get(group, 0L);
        for (var c : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("#f = :f AND begins_with(#m, :c)").projectionExpression("#n, #d")
                .expressionAttributeNames(Map.of("#f", FINGERPRINT.name(), "#m", MEMBER.name(), "#n", COUNT.name(), "#d", DEVICES.name()))
                .expressionAttributeValues(Map.of(":f", FINGERPRINT.value(FINGERPRINT.get(group)), ":c", MEMBER.value(COUNTERS)))).items()) {
            count += COUNT.get(c, 0L);
            devices += DEVICES.get(c, 0L);
        }
        Map<String, AttributeValue> out = new HashMap<>(group);
        COUNT.put(out, count);
        DEVICES.put(out, devices);
        return out;
    }

    @PreDestroy
    void shutdown() {
        readers.shutdownNow();
    }

    /** A group as read by {@link #get}, {@link #resolve} and {@link #list}, whose counts are totals. */
    public static ErrorGroupView view(Map<String, AttributeValue> item) {
        return new ErrorGroupView(FINGERPRINT.get(item), CATEGORY.get(item), CODE.get(item), SAMPLE_MESSAGE.get(item),
                SAMPLE_ERROR_ID.get(item), COUNT.get(item, 0L), DEVICES.get(item, 0L), FIRST_SEEN.storedText(item),
                LAST_SEEN.storedText(item), STATUS.get(item), RESOLVED_AT.storedText(item), RESOLVED_BY.get(item), NOTE.get(item));
    }
}
