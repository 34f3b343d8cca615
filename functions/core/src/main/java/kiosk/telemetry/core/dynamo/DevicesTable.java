package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device registry ({@code DevicesTable}): key {@code deviceId}. Indexes {@code fleet-index}
 * ({@code fleet}, {@code deviceId}), {@code store-index} and {@code group-index} hold keys only, so the
 * once-a-minute {@code lastSeenAt} writes never touch an index; a list page reads keys from an index and the
 * devices by {@code BatchGetItem}. The only code that touches this table.
 */
@ApplicationScoped
public class DevicesTable {

    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String TOKEN_HASH = "tokenHash";
    static final String CREATED_AT = "createdAt";
    static final String REVOKED_AT = "revokedAt";
    static final String LAST_SEEN_AT = "lastSeenAt";
    static final String FLEET = "fleet";
    static final String FLEET_VALUE = "all";

    /**
     * Every attribute {@link #touch} names, key included. The ingestion functions' IAM policy allows UpdateItem on
     * the registry for these only (template.yaml, {@code DeviceLiveness}), so they can never change a token.
     */
    public static final List<String> LIVENESS_ATTRIBUTES = List.of(DEVICE_ID, LAST_SEEN_AT);

    public static final String FLEET_INDEX = "fleet-index";
    public static final String STORE_INDEX = "store-index";
    public static final String GROUP_INDEX = "group-index";

    private final DynamoDbClient dynamo;
    private final String table;

    @jakarta.inject.Inject
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
        item.put(DEVICE_ID, Attr.s(d.deviceId()));
        item.put(FLEET, Attr.s(FLEET_VALUE));
        Attr.putS(item, STORE_ID, d.storeId());
        Attr.putS(item, GROUP_ID, d.groupId());
        Attr.putS(item, COUNTRY, d.countryCode());
        item.put(TOKEN_HASH, Attr.s(d.tokenHash()));
        item.put(CREATED_AT, Attr.s(Timestamps.format(d.createdAt())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", DEVICE_ID))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Device> get(String deviceId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(DEVICE_ID, Attr.s(deviceId))).consistentRead(true).build());
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
                    .key(Map.of(DEVICE_ID, Attr.s(deviceId)))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#h", TOKEN_HASH, "#r", REVOKED_AT, "#id", DEVICE_ID))
                    .expressionAttributeValues(Map.of(":h", Attr.s(tokenHash)))
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
                    .key(Map.of(DEVICE_ID, Attr.s(deviceId)))
                    .updateExpression("SET #r = if_not_exists(#r, :now)")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#r", REVOKED_AT, "#id", DEVICE_ID))
                    .expressionAttributeValues(Map.of(":now", Attr.s(Timestamps.format(now))))
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
                    .key(Map.of(DEVICE_ID, Attr.s(deviceId)))
                    .updateExpression("SET #s = :now")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#s) OR #s < :nb)")
                    .expressionAttributeNames(Map.of("#s", LAST_SEEN_AT, "#id", DEVICE_ID))
                    .expressionAttributeValues(Map.of(":now", Attr.s(Timestamps.format(now)),
                            ":nb", Attr.s(Timestamps.format(notBefore))))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** One page of devices, ordered by id, optionally of one store or one group. */
    public IndexPager.Result list(String storeId, String groupId, int limit, String cursor, String scope) {
        String index;
        String pkAttr;
        String pk;
        if (storeId != null) {
            index = STORE_INDEX;
            pkAttr = STORE_ID;
            pk = storeId;
        } else if (groupId != null) {
            index = GROUP_INDEX;
            pkAttr = GROUP_ID;
            pk = groupId;
        } else {
            index = FLEET_INDEX;
            pkAttr = FLEET;
            pk = FLEET_VALUE;
        }
        var spec = new IndexPager.Spec(table, index, pkAttr, DEVICE_ID, List.of(DEVICE_ID, pkAttr),
                List.of(List.of(pk)), null, IndexPager.Filter.none(), false);
        var keys = new IndexPager(dynamo).page(spec, limit, cursor, scope);
        return new IndexPager.Result(BatchReader.read(dynamo, table, DEVICE_ID, keys.items()), keys.nextCursor());
    }

    public static Device toDevice(Map<String, AttributeValue> item) {
        return new Device(Attr.str(item, DEVICE_ID), Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID),
                Attr.str(item, COUNTRY), Attr.str(item, TOKEN_HASH), instant(item, CREATED_AT),
                instant(item, REVOKED_AT), instant(item, LAST_SEEN_AT));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Timestamps.parse(s);
    }
}
