package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stored event (Events table): key {@code sessionId} + {@code sequenceNo}, the contract's dedup key, so a
 * session's events are one Query in sequence order. An event is one item and no index entry: it is found by day and
 * device through its {@link SessionDayItem}. Events stored before that layout also carry {@code dayShard} and
 * {@code ts} and sit in the table's old day and device indexes ({@link #LEGACY_BY_DAY}, {@link #LEGACY_BY_DEVICE}).
 */
public final class EventItem {

    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<Long> SEQUENCE_NO = Attribute.number("sequenceNo");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<String> EVENT_TYPE = Attribute.text("eventType");
    public static final Attribute<Instant> TIMESTAMP = Attribute.instant("timestamp");
    public static final Attribute<String> SCREEN = Attribute.text("screen");
    public static final Attribute<JsonNode> PROPERTIES = Attribute.json("properties");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<Instant> RECEIVED_AT = Attribute.instant("receivedAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");
    /** Keys of the old layout's indexes: only events stored before the session-day directory have them. */
    public static final Attribute<String> LEGACY_DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> LEGACY_TS = Attribute.text("ts");

    public static final Index LEGACY_BY_DAY = new Index("day-index", LEGACY_DAY_SHARD, LEGACY_TS);
    public static final Index LEGACY_BY_DEVICE = new Index("device-index", DEVICE_ID, LEGACY_TS);

    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(SESSION_ID, SEQUENCE_NO),
            Dimensions.ARCHIVE_COLUMNS, ArchiveColumn.columns(EVENT_TYPE, TIMESTAMP, SCREEN, PROPERTIES, RECEIVED_AT));

    private EventItem() {
    }

    /** The list order key of an event: {@code timestamp#sessionId#sequenceNo}, as the old layout's {@code ts}. */
    public static String sortKey(Instant timestamp, String sessionId, long sequenceNo) {
        return Timestamps.format(timestamp) + "#" + sessionId + "#" + sequenceNo;
    }
}
