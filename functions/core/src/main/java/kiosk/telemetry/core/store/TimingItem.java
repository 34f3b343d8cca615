package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stored performance timing (Timings table): key {@code sessionKey} + {@code metricId}, where the session key is the
 * timing's {@code sessionId}, or {@code device#<deviceId>} for a timing outside a session (an app start). A timing is
 * one item and no index entry: like an event it is found by day and device through its {@link SessionDayItem}, then by
 * a Query of its session key. {@code durationMs} and {@code success} are top-level attributes: the nightly run computes
 * exact percentiles and success rates from one read of the day. Timings stored before this table are
 * {@link MetricItem}s.
 */
public final class TimingItem {

    /** Prefix of the session key of a device's timings outside a session; a session id (a UUID) never has it. */
    public static final String DEVICE_KEY_PREFIX = "device#";

    public static final Attribute<String> SESSION_KEY = Attribute.text("sessionKey");
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
    public static final Attribute<Instant> RECEIVED_AT = Attribute.instant("receivedAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    public static final Index BY_SESSION = Index.tableKey(SESSION_KEY, METRIC_ID);

    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(METRIC_ID, SESSION_ID),
            Dimensions.ARCHIVE_COLUMNS, ArchiveColumn.columns(METRIC_TYPE, TIMESTAMP, DURATION_MS, SUCCESS, BREAKDOWN, CONTEXT, RECEIVED_AT));

    private TimingItem() {
    }

    /** Where a timing is stored and listed in the session-day directory: its session, or its device's timings outside one. */
    public static String sessionKey(String sessionId, String deviceId) {
        return sessionId != null ? sessionId : DEVICE_KEY_PREFIX + deviceId;
    }

    /**
     * The list order key of a timing: {@code timestamp#metricId} (as {@link MetricItem#sortKey}), then its session key,
     * so that two timings never share one.
     */
    public static String sortKey(Instant timestamp, String metricId, String sessionKey) {
        return MetricItem.sortKey(timestamp, metricId) + "#" + sessionKey;
    }
}
