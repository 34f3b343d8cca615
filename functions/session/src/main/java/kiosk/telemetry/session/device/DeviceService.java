package kiosk.telemetry.session.device;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.auth.DeviceDirectory;
import kiosk.telemetry.core.auth.DeviceTokens;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The device registry: register (token shown once, stored as a hash), rotate, revoke, restore, list. A rotation,
 * revocation or restoration is effective at once in this process and within the auth cache TTL (at most 10 s)
 * in every other one.
 */
@ApplicationScoped
public class DeviceService {

    static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    /** A silentFor listing reads at most this many pages of keys per answer before handing back a cursor. */
    private static final int MAX_ROUNDS = 20;

    public record Issued(String deviceId, String token) {
    }

    private final DevicesTable devices;
    private final DeviceDirectory directory;
    private final Clock clock;
    private final TelemetryConfig config;

    public DeviceService(DevicesTable devices, DeviceDirectory directory, Clock clock, TelemetryConfig config) {
        this.devices = devices;
        this.directory = directory;
        this.clock = clock;
        this.config = config;
    }

    public Issued register(Bound<DeviceRequest> body) {
        Instant now = clock.instant();
        DeviceRequest in = body.orThrow();
        String id = in.deviceId();
        String token = DeviceTokens.issue(id);
        if (!devices.create(new Device(id, in.storeId(), in.groupId(), in.countryCode(), DeviceTokens.hash(token), now, null, null))) {
            throw Refusal.conflict("device " + id + " is already registered; rotate its token instead");
        }
        return new Issued(id, token);
    }

    /** A new token for an active device; the old one stops working. A revoked device stays revoked (409). */
    public Issued rotate(String deviceId) {
        requireValidId(deviceId);
        String token = DeviceTokens.issue(deviceId);
        switch (devices.replaceToken(deviceId, DeviceTokens.hash(token))) {
            case CHANGED -> {
                directory.forget(deviceId);
                return new Issued(deviceId, token);
            }
            case REVOKED -> throw Refusal.conflict("device " + deviceId
                    + " is revoked; a rotation does not bring it back: restore it with POST /api/devices/" + deviceId + "/restore");
            default -> throw notRegistered(deviceId);
        }
    }

    /** Brings a revoked device back with a new token (its old token stays refused); 409 when it is not revoked. */
    public Issued restore(String deviceId) {
        requireValidId(deviceId);
        String token = DeviceTokens.issue(deviceId);
        switch (devices.restore(deviceId, DeviceTokens.hash(token))) {
            case CHANGED -> {
                directory.forget(deviceId);
                return new Issued(deviceId, token);
            }
            case NOT_REVOKED -> throw Refusal.conflict("device " + deviceId
                    + " is not revoked; rotate its token with POST /api/devices/" + deviceId + "/token instead");
            default -> throw notRegistered(deviceId);
        }
    }

    private static void requireValidId(String deviceId) {
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw notRegistered(deviceId);
        }
    }

    private static Refusal notRegistered(String deviceId) {
        return Refusal.unknown("device " + deviceId + " is not registered");
    }

    public void revoke(String deviceId) {
        requireValidId(deviceId);
        if (!devices.revoke(deviceId, clock.instant())) {
            throw notRegistered(deviceId);
        }
        directory.forget(deviceId);
    }

    public DeviceView get(String deviceId) {
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw Refusal.unknown("device " + deviceId + " is not registered");
        }
        return DeviceView.of(directory.require(deviceId));
    }

    /**
     * Devices by id; with {@code silentFor}, only active devices whose newest accepted request is older than
     * that (or that never called). Pages are read with shrinking sizes so a filtered page never overshoots.
     */
    public Page<DeviceView> list(ListQuery q, String silentFor) {
        Duration silence = parseSilence(silentFor);
        Instant cutoff = silence == null ? null : clock.instant().minus(silence);
        List<DeviceView> out = new ArrayList<>();
        String cursor = q.cursor();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            var page = devices.list(q.filter("storeId"), q.filter("groupId"), q.limit() - out.size(), cursor, q.scope());
            for (var item : page.items()) {
                Device d = DevicesTable.toDevice(item);
                if (q.filter("groupId") != null && !q.filter("groupId").equals(d.groupId())) {
                    continue;
                }
                if (cutoff == null || (!d.revoked() && (d.lastSeenAt() == null || d.lastSeenAt().isBefore(cutoff)))) {
                    out.add(DeviceView.of(d));
                }
            }
            cursor = page.nextCursor();
            if (cursor == null || out.size() >= q.limit()) {
                break;
            }
        }
        return new Page<>(out, cursor);
    }

    private static Duration parseSilence(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            Duration d = Duration.parse(raw);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(366)) > 0) {
                throw Refusal.invalid("silentFor", "must be a positive ISO-8601 duration up to P366D");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw Refusal.invalid("silentFor", "must be an ISO-8601 duration such as PT30M");
        }
    }
}
