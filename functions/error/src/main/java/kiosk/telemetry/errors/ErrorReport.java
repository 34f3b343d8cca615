package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One reported error, with its fingerprint. Breadcrumbs are stored as a JSON array, deviceState as an object. */
public record ErrorReport(String errorId, String sessionId, String deviceId, String storeId, String groupId,
                          String countryCode, Instant timestamp, String severity, String category, String code,
                          String message, String stack, JsonNode breadcrumbs, JsonNode deviceState,
                          String fingerprint, Instant receivedAt) {
}
