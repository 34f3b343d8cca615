package kiosk.telemetry.core.store;

import kiosk.telemetry.core.dynamo.DayShards;

import java.time.Instant;

/**
 * The items of one error group (ErrorGroups table), key {@code fingerprint} + {@code member}:
 * <ul>
 * <li>{@code member = "group"}: the group's description (category, code, sample, first/last seen, status); only this
 * item carries {@code kind} and {@code lastSeen}, so {@code recent-index} lists groups;</li>
 * <li>{@code member = "count#errors#<nn>"} ({@code count}) and {@code "count#devices#<nn>"} ({@code devices}):
 * counter items, the shard chosen by the error's or the device's id, so concurrent reports spread over them;</li>
 * <li>{@code member = "device#<id>"}: one per affected device, which makes the distinct-device count exact.</li>
 * </ul>
 */
public final class ErrorGroupItem {

    public static final Attribute<String> FINGERPRINT = Attribute.text("fingerprint");
    public static final Attribute<String> MEMBER = Attribute.text("member");
    public static final Attribute<String> KIND = Attribute.text("kind");
    public static final Attribute<String> CATEGORY = Attribute.text("category");
    public static final Attribute<String> CODE = Attribute.text("code");
    public static final Attribute<String> SAMPLE_MESSAGE = Attribute.text("sampleMessage");
    public static final Attribute<String> SAMPLE_ERROR_ID = Attribute.text("sampleErrorId");
    public static final Attribute<Long> COUNT = Attribute.number("count");
    public static final Attribute<Long> DEVICES = Attribute.number("devices");
    public static final Attribute<Instant> FIRST_SEEN = Attribute.instant("firstSeen");
    public static final Attribute<Instant> LAST_SEEN = Attribute.instant("lastSeen");
    public static final Attribute<String> STATUS = Attribute.text("status");
    public static final Attribute<Instant> RESOLVED_AT = Attribute.instant("resolvedAt");
    public static final Attribute<String> RESOLVED_BY = Attribute.text("resolvedBy");
    public static final Attribute<String> NOTE = Attribute.text("note");

    /** The {@code status} values of a group's description item. */
    public static final String STATUS_OPEN = "open";
    public static final String STATUS_RESOLVED = "resolved";
    public static final String STATUS_REGRESSED = "regressed";

    /** {@code member} and {@code kind} of the group's description item. */
    public static final String GROUP_MEMBER = "group";
    /** Prefix of every counter item's {@code member}. */
    public static final String COUNTERS = "count#";

    public static final Index RECENT = new Index("recent-index", KIND, LAST_SEEN);

    private static final String ERROR_COUNTER = COUNTERS + "errors#";
    private static final String DEVICE_COUNTER = COUNTERS + "devices#";
    private static final String DEVICE_MEMBER = "device#";

    private ErrorGroupItem() {
    }

    /** The {@code member} of the error counter an error id counts in. */
    public static String errorCounter(String errorId, int counters) {
        return ERROR_COUNTER + String.format("%02d", DayShards.shardOf(errorId, counters));
    }

    /** The {@code member} of the device counter a device id counts in. */
    public static String deviceCounter(String deviceId, int counters) {
        return DEVICE_COUNTER + String.format("%02d", DayShards.shardOf(deviceId, counters));
    }

    /** The {@code member} that records a device as affected. */
    public static String deviceMember(String deviceId) {
        return DEVICE_MEMBER + deviceId;
    }
}
