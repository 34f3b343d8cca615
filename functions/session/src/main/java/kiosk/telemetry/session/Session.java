package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A stored session. Nested objects ({@code experiments}, {@code funnel}, {@code behavior}) are JSON trees. */
public record Session(String sessionId, String deviceId, String storeId, String groupId, String countryCode,
                      Instant startedAt, String appVersion, JsonNode experiments, String status, long seq,
                      Instant endedAt, String exitReason, JsonNode funnel, JsonNode behavior,
                      Instant createdAt, Instant updatedAt) {
}
