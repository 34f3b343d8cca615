package kiosk.telemetry.core.auth;

import java.time.Instant;

/** A registered kiosk as the registry holds it. Dimensions are null when the operator gave none. */
public record Device(String deviceId, String storeId, String groupId, String countryCode, String tokenHash,
                     Instant createdAt, Instant revokedAt, Instant lastSeenAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
