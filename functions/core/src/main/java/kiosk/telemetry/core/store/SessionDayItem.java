package kiosk.telemetry.core.store;

import kiosk.telemetry.core.dynamo.DayShards;

import java.time.LocalDate;

/**
 * One entry of the session-day directory (the EventSessionDays table): a session has events or timings on a reporting
 * day from a device. Key {@code sessionId} + {@code dayDevice} ({@code 2025-01-19#kiosk-7}); keys-only indexes by day
 * shard ({@code day-index}: {@code dayShard}, {@code sessionId}; the shard is chosen by session id) and by device
 * ({@code device-index}: {@code deviceId}, {@code day}). Timings outside a session are listed under their device's
 * {@link TimingItem#sessionKey session key} ({@code device#kiosk-7}), which no session id can be.
 */
public final class SessionDayItem {

    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<String> DAY_DEVICE = Attribute.text("dayDevice");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, SESSION_ID);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, DAY);

    private SessionDayItem() {
    }

    public static String dayShard(LocalDate day, String sessionId, int shards) {
        return DayShards.keyFor(day, sessionId, shards);
    }

    public static String dayDevice(LocalDate day, String deviceId) {
        return day + "#" + deviceId;
    }
}
