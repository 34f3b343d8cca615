package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stored error report (Errors table): key {@code errorId}. Indexed by reporting day and by device (sorted by
 * {@code ts = timestamp#errorId}) and by fingerprint (keys only, to resolve a group's errors).
 */
public final class ErrorItem {

    public static final Attribute<String> ERROR_ID = Attribute.text("errorId");
    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<Instant> TIMESTAMP = Attribute.instant("timestamp");
    public static final Attribute<String> SEVERITY = Attribute.text("severity");
    public static final Attribute<String> CATEGORY = Attribute.text("category");
    public static final Attribute<String> CODE = Attribute.text("code");
    public static final Attribute<String> MESSAGE = Attribute.text("message");
    public static final Attribute<String> STACK = Attribute.text("stack");
    public static final Attribute<JsonNode> BREADCRUMBS = Attribute.json("breadcrumbs");
    public static final Attribute<JsonNode> DEVICE_STATE = Attribute.json("deviceState");
    public static final Attribute<String> FINGERPRINT = Attribute.text("fingerprint");
    public static final Attribute<Boolean> RESOLVED = Attribute.flag("resolved");
    public static final Attribute<Instant> RESOLVED_AT = Attribute.instant("resolvedAt");
    public static final Attribute<String> RESOLVED_BY = Attribute.text("resolvedBy");
    public static final Attribute<String> NOTE = Attribute.text("note");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> TS = Attribute.text("ts");
    public static final Attribute<Instant> RECEIVED_AT = Attribute.instant("receivedAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, TS);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, TS);
    public static final Index BY_FINGERPRINT = new Index("fingerprint-index", FINGERPRINT, TS);

    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(ERROR_ID, SESSION_ID),
            Dimensions.ARCHIVE_COLUMNS, ArchiveColumn.columns(TIMESTAMP, SEVERITY, CATEGORY, CODE, MESSAGE, STACK, BREADCRUMBS, DEVICE_STATE,
                    FINGERPRINT, RESOLVED, RESOLVED_AT, RESOLVED_BY, NOTE, RECEIVED_AT));

    private ErrorItem() {
    }

    public static String dayShard(LocalDate day, String errorId, int shards) {
        return DayShards.keyFor(day, errorId, shards);
    }

    public static String sortKey(Instant timestamp, String errorId) {
        return Timestamps.format(timestamp) + "#" + errorId;
    }
}
