package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.store.DeviceItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static kiosk.telemetry.core.store.DeviceItem.BY_FLEET;
import static kiosk.telemetry.core.store.DeviceItem.BY_GROUP;
import static kiosk.telemetry.core.store.DeviceItem.BY_STORE;
import static kiosk.telemetry.core.store.DeviceItem.COUNTRY;
import static kiosk.telemetry.core.store.DeviceItem.CREATED_AT;
import static kiosk.telemetry.core.store.DeviceItem.DEVICE_ID;
import static kiosk.telemetry.core.store.DeviceItem.FLEET;
import static kiosk.telemetry.core.store.DeviceItem.FLEET_VALUE;
import static kiosk.telemetry.core.store.DeviceItem.GROUP_ID;
import static kiosk.telemetry.core.store.DeviceItem.LAST_SEEN_AT;
import static kiosk.telemetry.core.store.DeviceItem.REVOKED_AT;
import static kiosk.telemetry.core.store.DeviceItem.STORE_ID;
import static kiosk.telemetry.core.store.DeviceItem.TOKEN_HASH;

/**
 * The device registry ({@code DevicesTable}), items as {@link DeviceItem} defines them. A list page reads keys from
 * a keys-only index and the devices by {@code BatchGetItem}. The only code that writes this table.
 */
@ApplicationScoped
public class DevicesTable {

    /** Keys read per page while counting. */
    private static final int COUNT_PAGE = 1000;

    private final DynamoDbClient dynamo;
    private final String table;

    @Inject
    public DevicesTable(DynamoDbClient dynamo, TelemetryConfig config) {
        this(dynamo, config.tables().devices());
    }

    public DevicesTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Registers a device; false when the id is taken. */
    public boolean create(Device d) {
        Map<String, AttributeValue> item = new HashMap<>();
        DEVICE_ID.put(item, d.deviceId());
        FLEET.put(item, FLEET_VALUE);
        STORE_ID.put(item, d.storeId());
        GROUP_ID.put(item, d.groupId());
        COUNTRY.put(item, d.countryCode());
        TOKEN_HASH.put(item, d.tokenHash());
        CREATED_AT.put(item, d.createdAt());
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", DEVICE_ID.name()))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Device> get(String deviceId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(DEVICE_ID.key(deviceId)).consistentRead(true).build());
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toDevice(resp.item())) : Optional.empty();
    }

    /** What a token change found: done, or why not. */
    public enum TokenChange { CHANGED, UNKNOWN, REVOKED, NOT_REVOKED }

    /** Replaces the token hash of an active device; a revoked device keeps its revocation ({@code REVOKED}). */
    public TokenChange replaceToken(String deviceId, String tokenHash) {
        return changeToken(deviceId, tokenHash, "SET #h = :h", "attribute_exists(#id) AND attribute_not_exists(#r)");
    }

    /** Lifts a revocation with a new token hash; a device that is not revoked stays as it is ({@code NOT_REVOKED}). */
    public TokenChange restore(String deviceId, String tokenHash) {
        return changeToken(deviceId, tokenHash, "SET #h = :h REMOVE #r", "attribute_exists(#id) AND attribute_exists(#r)");
    }

    private TokenChange changeToken(String deviceId, String tokenHash, String update, String condition) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(DEVICE_ID.key(deviceId))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#h", TOKEN_HASH.name(), "#r", REVOKED_AT.name(), "#id", DEVICE_ID.name()))
                    .expressionAttributeValues(Map.of(":h", TOKEN_HASH.value(tokenHash)))
                    .build());
            return TokenChange.CHANGED;
        } catch (ConditionalCheckFailedException e) {
            return get(deviceId).map(d -> d.revoked() ? TokenChange.REVOKED : TokenChange.NOT_REVOKED).orElse(TokenChange.UNKNOWN);
        }
    }

    /** Revokes the device's token (keeps the first revocation time); false when the device is unknown. */
    public boolean revoke(String deviceId, Instant now) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(DEVICE_ID.key(deviceId))
                    .updateExpression("SET #r = if_not_exists(#r, :now)")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#r", REVOKED_AT.name(), "#id", DEVICE_ID.name()))
                    .expressionAttributeValues(Map.of(":now", REVOKED_AT.value(now)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Records that the device was seen at {@code now}, unless another writer already did so after
     * {@code notBefore}: at most one successful write per device per interval across all processes.
     */
    public boolean touch(String deviceId, Instant now, Instant notBefore) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(DEVICE_ID.key(deviceId))
                    .updateExpression("SET #s = :now")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#s) OR #s < :nb)")
                    .expressionAttributeNames(Map.of("#s", LAST_SEEN_AT.name(), "#id", DEVICE_ID.name()))
                    .expressionAttributeValues(Map.of(":now", LAST_SEEN_AT.value(now), ":nb", LAST_SEEN_AT.value(notBefore)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** One page of devices, ordered by id, optionally of one store or one group. */
    public IndexPager.Result list(String storeId, String groupId, int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, DEVICE_ID)
                .byPartition(BY_STORE, storeId)
                .byPartition(BY_GROUP, groupId)
                .byPartition(BY_FLEET, FLEET_VALUE)
                .oldestFirst()
                .spec();
        var keys = new IndexPager(dynamo).page(spec, limit, cursor, scope);
        return new IndexPager.Result(BatchReader.read(dynamo, table, DEVICE_ID.name(), keys.items()), keys.nextCursor());
    }

    /**
     * How many devices are registered in a scope now, revoked ones left out: the scope's keys from its keys-only index
     * (a store's or group's, else the fleet's, of which a country keeps its own), then each device's revocation and
     * country by an eventually consistent {@code BatchGetItem}. Reads every device of the scope; callers keep the
     * answer for a while.
     */
    public long countRegistered(String storeId, String groupId, String countryCode) {
        long[] count = {0};
        forEachKeyPage(storeId, groupId, keys -> {
            for (var item : BatchReader.readOnly(dynamo, table, DEVICE_ID.name(), keys, List.of(REVOKED_AT, COUNTRY))) {
                if (REVOKED_AT.get(item) == null && (countryCode == null || countryCode.equals(COUNTRY.get(item)))) {
                    count[0]++;
                }
            }
        });
        return count[0];
    }

    /** The ids of every registered device of a store or a group (revoked ones too), from its keys-only index. */
    public List<String> idsIn(String storeId, String groupId) {
        List<String> ids = new ArrayList<>();
        forEachKeyPage(storeId, groupId, keys -> keys.forEach(k -> ids.add(DEVICE_ID.get(k))));
        return ids;
    }

    /** Every page of device keys of a store's or a group's keys-only index (neither: the fleet's), in id order. */
    private void forEachKeyPage(String storeId, String groupId, Consumer<List<Map<String, AttributeValue>>> page) {
        var spec = ListPlan.on(table, DEVICE_ID)
                .byPartition(BY_STORE, storeId)
                .byPartition(BY_GROUP, groupId)
                .byPartition(BY_FLEET, FLEET_VALUE)
                .oldestFirst()
                .spec();
        IndexPager pager = new IndexPager(dynamo);
        String cursor = null;
        do {
            var keys = pager.page(spec, COUNT_PAGE, cursor, table);
            page.accept(keys.items());
            cursor = keys.nextCursor();
        } while (cursor != null);
    }

    public static Device toDevice(Map<String, AttributeValue> item) {
        return new Device(DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item), COUNTRY.get(item), TOKEN_HASH.get(item),
                CREATED_AT.get(item), REVOKED_AT.get(item), LAST_SEEN_AT.get(item));
    }
}
