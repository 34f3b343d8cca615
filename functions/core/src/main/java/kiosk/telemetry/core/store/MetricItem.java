package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A performance timing stored before the Timings table, in the Metrics table: key {@code metricId}, indexed by reporting
 * day and by device, sorted by {@code ts = timestamp#metricId}. Its attributes are {@link TimingItem}'s, plus the two
 * index keys. Nothing writes these any more; they are read until they expire (the runbook says when the table goes).
 */
public final class MetricItem {

    public static final Attribute<String> METRIC_ID = TimingItem.METRIC_ID;
    public static final Attribute<String> SESSION_ID = TimingItem.SESSION_ID;
    public static final Attribute<String> DEVICE_ID = TimingItem.DEVICE_ID;
    public static final Attribute<String> STORE_ID = TimingItem.STORE_ID;
    public static final Attribute<String> GROUP_ID = TimingItem.GROUP_ID;
    public static final Attribute<String> COUNTRY = TimingItem.COUNTRY;
    public static final Attribute<String> METRIC_TYPE = TimingItem.METRIC_TYPE;
    public static final Attribute<Instant> TIMESTAMP = TimingItem.TIMESTAMP;
    public static final Attribute<Long> DURATION_MS = TimingItem.DURATION_MS;
    public static final Attribute<Boolean> SUCCESS = TimingItem.SUCCESS;
    public static final Attribute<JsonNode> BREAKDOWN = TimingItem.BREAKDOWN;
    public static final Attribute<JsonNode> CONTEXT = TimingItem.CONTEXT;
    public static final Attribute<LocalDate> DAY = TimingItem.DAY;
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> TS = Attribute.text("ts");
    public static final Attribute<Instant> RECEIVED_AT = TimingItem.RECEIVED_AT;
    public static final Attribute<Long> EXPIRES_AT = TimingItem.EXPIRES_AT;

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, TS);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, TS);

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
