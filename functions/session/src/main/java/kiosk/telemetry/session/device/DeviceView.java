package kiosk.telemetry.session.device;

import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;

/** A device as operators see it: never its token or token hash. */
public record DeviceView(String deviceId, String storeId, String groupId, String countryCode, String createdAt,
                         boolean revoked, String revokedAt, String lastSeenAt) {

    static DeviceView of(Device d) {
        return new DeviceView(d.deviceId(), d.storeId(), d.groupId(), d.countryCode(), fmt(d.createdAt()),
                d.revoked(), fmt(d.revokedAt()), fmt(d.lastSeenAt()));
    }

    private static String fmt(Instant t) {
        return t == null ? null : Timestamps.format(t);
    }
}
