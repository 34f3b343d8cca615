package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A performance timing stored before the Timings table ({@link TimingItem}), in the Metrics table: key {@code metricId}.
 * Indexed by reporting day and by device, sorted
 * by {@code ts = timestamp#metricId}. Nothing writes these any more; they are read until they expire (the runbook says
 * when the table goes).
 */
public final class MetricItem {

    public static final Attribute<String> METRIC_ID = Attribute.text("metricId");
    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<String> METRIC_TYPE = Attribute.text("metricType");
    public static final Attribute<Instant> TIMESTAMP = Attribute.instant("timestamp");
    public static final Attribute<Long> DURATION_MS = Attribute.number("durationMs");
    public static final Attribute<Boolean> SUCCESS = Attribute.flag("success");
    public static final Attribute<JsonNode> BREAKDOWN = Attribute.json("breakdown");
    public static final Attribute<JsonNode> CONTEXT = Attribute.json("context");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> TS = Attribute.text("ts");
    public static final Attribute<Instant> RECEIVED_AT = Attribute.instant("receivedAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, TS);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, TS);

    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(METRIC_ID, SESSION_ID),
            Dimensions.ARCHIVE_COLUMNS, ArchiveColumn.columns(METRIC_TYPE, TIMESTAMP, DURATION_MS, SUCCESS, BREAKDOWN, CONTEXT, RECEIVED_AT));

    private MetricItem() {
    }

    /**
     * A timing's day shard: a session's timings share their session's shard (the archive's session ids then
     * compress); a timing outside a session (an app start) goes by its own id.
     */
    public static String dayShard(LocalDate day, String sessionId, String metricId, int shards) {
        return DayShards.keyFor(day, sessionId != null ? sessionId : metricId, shards);
    }

    public static String sortKey(Instant timestamp, String metricId) {
        return Timestamps.format(timestamp) + "#" + metricId;
    }
}
