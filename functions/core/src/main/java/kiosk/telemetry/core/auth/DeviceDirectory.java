package kiosk.telemetry.core.auth;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.dynamo.DevicesTable;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves device tokens to devices. A warm process keeps a successful lookup for
 * {@code telemetry.auth.device-cache-ttl} (10 s by default, and never longer: {@link #MAX_TTL}), so a rotation,
 * revocation or restoration made in another process takes effect there within 10 s; in the process that made
 * it, at once ({@link #forget}). It also keeps {@code lastSeenAt} current with at most one registry write per
 * device per interval.
 */
@ApplicationScoped
public class DeviceDirectory {

    private static final Logger LOG = Logger.getLogger(DeviceDirectory.class);

    /** The longest a warm process trusts a lookup: the most a revoked or rotated token keeps working elsewhere. */
    public static final Duration MAX_TTL = Duration.ofSeconds(10);

    private final DevicesTable devices;
    private final Clock clock;
    private final Duration ttl;
    private final Duration lastSeenInterval;
    private final Map<String, Cached> byTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastTouched = new ConcurrentHashMap<>();

    public DeviceDirectory(DevicesTable devices, Clock clock, TelemetryConfig config) {
        this.devices = devices;
        this.clock = clock;
        Duration configured = config.auth().deviceCacheTtl();
        this.ttl = configured.compareTo(MAX_TTL) > 0 ? MAX_TTL : configured;
        this.lastSeenInterval = config.auth().lastSeenInterval();
    }

    /** The active device this token belongs to, or empty when the token is unknown, wrong or revoked. */
    public Optional<Device> authenticate(String token) {
        Optional<String> id = DeviceTokens.deviceIdOf(token);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String hash = DeviceTokens.hash(token);
        Instant now = clock.instant();
        Cached c = byTokenHash.get(hash);
        if (c != null && now.isBefore(c.until())) {
            return Optional.of(c.device());
        }
        Optional<Device> found = devices.get(id.get())
                .filter(d -> !d.revoked() && DeviceTokens.sameHash(hash, d.tokenHash()));
        if (found.isPresent()) {
            byTokenHash.put(hash, new Cached(found.get(), now.plus(ttl)));
        } else {
            byTokenHash.remove(hash);
        }
        return found;
    }

    /** Is this a well-formed device token (whether or not it is current)? Used to answer 403, not 401. */
    public boolean looksLikeDeviceToken(String token) {
        return DeviceTokens.deviceIdOf(token).isPresent();
    }

    /** Drops every cached lookup of the device (after a rotation or a revocation). */
    public void forget(String deviceId) {
        byTokenHash.values().removeIf(c -> c.device().deviceId().equals(deviceId));
    }

    /**
     * Notes an accepted request of the device; writes lastSeenAt at most once per interval per device. Best
     * effort: the request's records are stored by now, so a failed liveness write (throttling, a lost
     * connection) is logged and tried again on the device's next request, never turned into an error answer
     * that would make the kiosk resend what was stored.
     */
    public void seen(String deviceId) {
        Instant now = clock.instant();
        Instant last = lastTouched.get(deviceId);
        if (last != null && Duration.between(last, now).compareTo(lastSeenInterval) < 0) {
            return;
        }
        lastTouched.put(deviceId, now);
        try {
            devices.touch(deviceId, now, now.minus(lastSeenInterval));
        } catch (SdkException e) {
            lastTouched.remove(deviceId, now);
            LOG.warnf("lastSeenAt of %s not written (%s); the next request tries again", deviceId, e.getMessage());
        }
    }

    /** The device behind an id (operator routes), if registered. */
    public Optional<Device> find(String deviceId) {
        return devices.get(deviceId);
    }

    /** The device behind a known id (operator routes); refused as unknown (404) when not registered. */
    public Device require(String deviceId) {
        return find(deviceId).orElseThrow(() -> Refusal.unknown("device " + deviceId + " is not registered"));
    }

    private record Cached(Device device, Instant until) {
    }
}
