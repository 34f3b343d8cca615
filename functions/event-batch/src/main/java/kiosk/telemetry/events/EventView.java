package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.JsonNode;

/** An event as operators read it. */
public record EventView(String sessionId, long sequenceNo, String deviceId, String storeId, String groupId,
                        String countryCode, String eventType, String timestamp, String screen, JsonNode properties,
                        String receivedAt) {
}
