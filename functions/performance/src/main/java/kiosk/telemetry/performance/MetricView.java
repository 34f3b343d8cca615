package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.JsonNode;

/** A timing as operators read it. */
public record MetricView(String metricId, String sessionId, String deviceId, String storeId, String groupId,
                         String countryCode, String metricType, String timestamp, long durationMs, boolean success,
                         JsonNode breakdown, JsonNode context, String receivedAt) {
}
