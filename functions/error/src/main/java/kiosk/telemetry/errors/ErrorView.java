package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.JsonNode;

/** An error as operators read it, with its resolution. */
public record ErrorView(String errorId, String sessionId, String deviceId, String storeId, String groupId, String countryCode,
                        String timestamp, String severity, String category, String code, String message, String stack,
                        JsonNode breadcrumbs, JsonNode deviceState, String fingerprint, boolean resolved,
                        String resolvedAt, String resolvedBy, String note, String receivedAt) {
}
