package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stored session (Sessions table): key {@code sessionId}, the contract's dedup key. Indexed by reporting day of
 * {@code startedAt} (write-sharded by session id), device, store and group, each sorted by
 * {@code ts = startedAt#sessionId}. Written by the session function; read by the others for ownership and by the
 * nightly run.
 */
public final class SessionItem {

    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<Instant> STARTED_AT = Attribute.instant("startedAt");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> TS = Attribute.text("ts");
    public static final Attribute<String> APP_VERSION = Attribute.text("appVersion");
    public static final Attribute<JsonNode> EXPERIMENTS = Attribute.json("experiments");
    public static final Attribute<String> STATUS = Attribute.text("status");
    public static final Attribute<Long> SEQ = Attribute.number("seq");
    public static final Attribute<Instant> ENDED_AT = Attribute.instant("endedAt");
    public static final Attribute<String> EXIT_REASON = Attribute.text("exitReason");
    public static final Attribute<JsonNode> FUNNEL = Attribute.json("funnel");
    public static final Attribute<JsonNode> BEHAVIOR = Attribute.json("behavior");
    public static final Attribute<Instant> CREATED_AT = Attribute.instant("createdAt");
    public static final Attribute<Instant> UPDATED_AT = Attribute.instant("updatedAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, TS);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, TS);
    public static final Index BY_STORE = new Index("store-index", STORE_ID, TS);
    public static final Index BY_GROUP = new Index("group-index", GROUP_ID, TS);

    /** The archive's {@code sessions} columns: the API's fields, without storage-only attributes. */
    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(SESSION_ID), Dimensions.ARCHIVE_COLUMNS,
            ArchiveColumn.columns(STARTED_AT, ENDED_AT, STATUS, SEQ, APP_VERSION, EXIT_REASON, EXPERIMENTS, FUNNEL, BEHAVIOR, CREATED_AT,
                    UPDATED_AT));

    private SessionItem() {
    }

    /** The session's day shard: its reporting day and a shard chosen by its id. */
    public static String dayShard(LocalDate day, String sessionId, int shards) {
        return DayShards.keyFor(day, sessionId, shards);
    }

    /** The indexes' sort key: start time, then id, so sessions sort by start and stay unique. */
    public static String sortKey(Instant startedAt, String sessionId) {
        return Timestamps.format(startedAt) + "#" + sessionId;
    }
}
