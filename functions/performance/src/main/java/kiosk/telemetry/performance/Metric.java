package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One timing. {@code durationMs} and {@code success} are stored as top-level attributes so the aggregator
 * computes exact percentiles and success rates per device, type and day from one read of the day.
 */
public record Metric(String metricId, String sessionId, String deviceId, String storeId, String groupId,
                     String countryCode, String metricType, Instant timestamp, long durationMs, boolean success,
                     JsonNode breakdown, JsonNode context, Instant receivedAt) {
}
