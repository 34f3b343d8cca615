package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;

/** Whose and which day's a daily summary is, with the device's dimensions, as the summary states them. */
record SummaryIdentity(String deviceId, LocalDate date, String storeId, String groupId, String countryCode) {

    static SummaryIdentity of(JsonNode summary) {
        return new SummaryIdentity(summary.path("deviceId").asText(), LocalDate.parse(summary.path("date").asText()),
                summary.path("storeId").asText(), summary.path("groupId").asText(), summary.path("countryCode").asText());
    }
}
