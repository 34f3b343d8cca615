package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One kiosk event; (sessionId, sequenceNo) is its identity. Dimensions come from the sending device. */
public record Event(String sessionId, long sequenceNo, String deviceId, String storeId, String groupId,
                   String countryCode, String eventType, Instant timestamp, String screen, JsonNode properties,
                   Instant receivedAt) {

    public String key() {
        return sessionId + "#" + sequenceNo;
    }
}
