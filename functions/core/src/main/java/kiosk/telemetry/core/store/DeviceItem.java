package kiosk.telemetry.core.store;

import java.time.Instant;
import java.util.List;

/**
 * A registered device (Devices table): key {@code deviceId}. Keys-only indexes {@code fleet-index}
 * ({@code fleet} = "all", {@code deviceId}), {@code store-index} and {@code group-index}, so the once-a-minute
 * {@code lastSeenAt} writes never touch an index.
 */
public final class DeviceItem {

    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<String> TOKEN_HASH = Attribute.text("tokenHash");
    public static final Attribute<Instant> CREATED_AT = Attribute.instant("createdAt");
    public static final Attribute<Instant> REVOKED_AT = Attribute.instant("revokedAt");
    public static final Attribute<Instant> LAST_SEEN_AT = Attribute.instant("lastSeenAt");
    public static final Attribute<String> FLEET = Attribute.text("fleet");
    /** The one {@code fleet} value: every device is in the fleet index's one partition. */
    public static final String FLEET_VALUE = "all";

    public static final Index BY_FLEET = new Index("fleet-index", FLEET, DEVICE_ID);
    public static final Index BY_STORE = new Index("store-index", STORE_ID, DEVICE_ID);
    public static final Index BY_GROUP = new Index("group-index", GROUP_ID, DEVICE_ID);

    /**
     * Every attribute a liveness write names, key included. The ingestion functions' IAM policy allows UpdateItem on
     * the registry for these only (template.yaml, {@code DeviceLiveness}), so they can never change a token.
     */
    public static final List<String> LIVENESS_ATTRIBUTES = List.of(DEVICE_ID.name(), LAST_SEEN_AT.name());

    private DeviceItem() {
    }
}
