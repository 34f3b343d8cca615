package kiosk.telemetry.core.store;

import java.util.List;

/**
 * The device dimensions every raw record carries, copied from the device registry when it is written:
 * {@code deviceId} always, store, group and country when the registry has them. Records of every kind read them
 * under the same names, so the nightly run finds a record's device without knowing its kind.
 */
public final class Dimensions {

    public static final Attribute<String> DEVICE_ID = Attribute.text("deviceId");
    public static final Attribute<String> STORE_ID = Attribute.text("storeId");
    public static final Attribute<String> GROUP_ID = Attribute.text("groupId");
    public static final Attribute<String> COUNTRY = Attribute.text("countryCode");

    /** The dimension columns of every archived raw table and summary, in this order. */
    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = ArchiveColumn.columns(DEVICE_ID, STORE_ID, GROUP_ID, COUNTRY);

    private Dimensions() {
    }
}
