package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static kiosk.telemetry.core.store.LiveTotalItem.COUNTRY;
import static kiosk.telemetry.core.store.LiveTotalItem.DAY_SHARD;
import static kiosk.telemetry.core.store.LiveTotalItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.LiveTotalItem.GROUP_ID;
import static kiosk.telemetry.core.store.LiveTotalItem.KEY;
import static kiosk.telemetry.core.store.LiveTotalItem.REPORTED;
import static kiosk.telemetry.core.store.LiveTotalItem.STARTED_SESSION;
import static kiosk.telemetry.core.store.LiveTotalItem.STORE_ID;
import static kiosk.telemetry.core.store.LiveTotalItem.cell;
import static kiosk.telemetry.core.store.LiveTotalItem.cellShard;
import static kiosk.telemetry.core.store.LiveTotalItem.markShard;

/**
 * {@code LiveTotalsTable}, items as {@link kiosk.telemetry.core.store.LiveTotalItem} defines them: cells counted up with
 * one {@code UpdateItem ... ADD} each, device marks set with one {@code UpdateItem} that answers which flags are new.
 * The only code touching it.
 */
@ApplicationScoped
public class LiveTotalsTable {

    /** What a device's mark answered: whether this write was the first to mark it reporting, or session-starting. */
    public record Marked(boolean firstReport, boolean firstSession) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shards;

    @Inject
    public LiveTotalsTable(DynamoDbClient dynamo, TelemetryConfig config) {
        this(dynamo, config.tables().liveTotals(), config.live().shards());
    }

    public LiveTotalsTable(DynamoDbClient dynamo, String table, int shards) {
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
    }

    /**
     * Adds {@code counts} (counter name → amount, negative to take away; names from
     * {@link kiosk.telemetry.core.store.LiveTotalItem}) to the cell of (store, group, country) on {@code day}, creating
     * it if needed: one write.
     */
    public void add(LocalDate day, String storeId, String groupId, String countryCode, Map<String, BigDecimal> counts, long expiresAt) {
        if (counts.isEmpty()) {
            return;
        }
        String cell = cell(storeId, groupId, countryCode);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD ");
        int i = 0;
        for (var c : counts.entrySet()) {
            if (i > 0) {
                add.append(", ");
            }
            names.put("#c" + i, c.getKey());
            values.put(":c" + i, AttributeValue.fromN(c.getValue().toPlainString()));
            add.append("#c").append(i).append(" :c").append(i);
            i++;
        }
        names.put("#st", STORE_ID.name());
        names.put("#gr", GROUP_ID.name());
        names.put("#co", COUNTRY.name());
        names.put("#ex", EXPIRES_AT.name());
        values.put(":st", STORE_ID.value(storeId));
        values.put(":gr", GROUP_ID.value(groupId));
        values.put(":co", COUNTRY.value(countryCode));
        values.put(":ex", EXPIRES_AT.value(expiresAt));
        String update = add + " SET #st = :st, #gr = :gr, #co = :co, #ex = :ex";
        dynamo.updateItem(b -> b.tableName(table)
                .key(DAY_SHARD.key(cellShard(day.toString(), DayShards.shardOf(cell, shards)), KEY, cell))
                .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /**
     * Marks {@code deviceId} as reporting on {@code day} (and as having started a session, if {@code startedSession}):
     * one write, whose old values tell whether either mark is new.
     */
    public Marked mark(LocalDate day, String deviceId, boolean startedSession, long expiresAt) {
        Map<String, String> names = new HashMap<>(Map.of("#r", REPORTED.name(), "#ex", EXPIRES_AT.name()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", REPORTED.value(true), ":ex", EXPIRES_AT.value(expiresAt)));
        String update = "SET #r = :t, #ex = :ex";
        if (startedSession) {
            names.put("#s", STARTED_SESSION.name());
            update += ", #s = :t";
        }
        String expression = update;
        var old = dynamo.updateItem(b -> b.tableName(table)
                .key(DAY_SHARD.key(markShard(day.toString(), DayShards.shardOf(deviceId, shards)), KEY, deviceId))
                .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        return new Marked(!old.containsKey(REPORTED.name()), startedSession && !old.containsKey(STARTED_SESSION.name()));
    }

    /** Takes back the marks a {@link #mark} set first, when the counts that went with them could not be written. */
    public void unmark(LocalDate day, String deviceId, boolean reported, boolean startedSession) {
        List<String> removes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        if (reported) {
            names.put("#r", REPORTED.name());
            removes.add("#r");
        }
        if (startedSession) {
            names.put("#s", STARTED_SESSION.name());
            removes.add("#s");
        }
        if (removes.isEmpty()) {
            return;
        }
        dynamo.updateItem(b -> b.tableName(table)
                .key(DAY_SHARD.key(markShard(day.toString(), DayShards.shardOf(deviceId, shards)), KEY, deviceId))
                .updateExpression("REMOVE " + String.join(", ", removes)).expressionAttributeNames(names));
    }

    /** Every cell of {@code day}: one Query per cell partition, strongly consistent. */
    public List<Map<String, AttributeValue>> cells(LocalDate day) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            String shard = cellShard(day.toString(), s);
            dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                            .keyConditionExpression("#p = :p").expressionAttributeNames(Map.of("#p", DAY_SHARD.name()))
                            .expressionAttributeValues(Map.of(":p", DAY_SHARD.value(shard))))
                    .items().forEach(out::add);
        }
        return out;
    }
}
