package kiosk.telemetry.aggregate;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.testing.Poll;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs through the real Lambda handler: start, follow, read summaries; late data; validation. */
@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DailySummaryResourceTest {

    private static final String ADMIN = "test-admin-token";
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @Inject
    S3Client s3;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @Inject
    DevicesTable devices;

    @Inject
    DayMarksTable marks;

    @Inject
    Clock clock;

    /** The reporting day of the application's now. */
    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), SEOUL);
    }

    private EventsTable events() {
        return new EventsTable(dynamo, new IndexPager(dynamo), new ReportingCalendar(SEOUL), config);
    }

    private void event(String device, LocalDate day, String type) {
        Instant at = day.atTime(LocalTime.NOON).atZone(SEOUL).toInstant();
        events().putIfAbsent(new Event(UUID.randomUUID().toString(), 0, device, null, null, null, type, at, null, null, clock.instant()));
    }

    private Response operator(String method, String path, String body) {
        var req = given().header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            req = req.contentType("application/json").body(body);
        }
        return req.request(method, path);
    }

    private Response finished(String runId) {
        return Poll.until(Duration.ofSeconds(30), "run " + runId + " finished", () -> {
            Response r = operator("GET", "/api/daily-summary/runs/" + runId, null);
            r.then().statusCode(200);
            return r;
        }, r -> !"running".equals(r.jsonPath().getString("status")));
    }

    @Test
    void aggregate_202_thenTheRunSucceeds_andSummariesAreReadable() throws Exception {
        LocalDate day = today().minusDays(5);
        String device = "agg-" + UUID.randomUUID().toString().substring(0, 8);
        String store = "store-" + UUID.randomUUID().toString().substring(0, 6);
        Registry.register(devices, device, store, null, "KR", clock.instant());
        event(device, day, "tap");
        event(device, day, "tap");
        event(device, day, "scroll");

        String runId = operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"" + day + "\"}").then().statusCode(202)
                .body("dates", hasItem(day.toString())).extract().path("runId");
        Response run = finished(runId);
        run.then().body("status", equalTo("succeeded")).body("trigger", equalTo("manual"))
                .body("days.find { it.date == '" + day + "' }.status", equalTo("succeeded"))
                .body("days.find { it.date == '" + day + "' }.records.events", equalTo(3));

        operator("GET", "/api/daily-summary/" + day + "/" + device, null).then().statusCode(200)
                .body("events.total", equalTo(3)).body("events.byType.tap", equalTo(2)).body("storeId", equalTo(store))
                .body("groupId", equalTo("unknown")).body("sessions.total", equalTo(0));
        operator("GET", "/api/daily-summary?date=" + day + "&storeId=" + store, null).then().statusCode(200)
                .body("items.deviceId", equalTo(List.of(device)));
        operator("GET", "/api/daily-summary?from=" + day.minusDays(1) + "&to=" + day + "&deviceId=" + device, null).then().statusCode(200)
                .body("items.size()", equalTo(1));
        operator("GET", "/api/daily-summary/" + day + "/nobody", null).then().statusCode(404);
        operator("GET", "/api/daily-summary/runs?limit=5", null).then().statusCode(200).body("items.runId", hasItem(runId));
    }

    @Test
    void lateData_marksTheDay_andTheNextRunReAggregatesIt() throws Exception {
        LocalDate day = today().minusDays(9);
        String device = "late-" + UUID.randomUUID().toString().substring(0, 8);
        Registry.register(devices, device, null, null, null, clock.instant());
        event(device, day, "tap");
        String first = operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"" + day + "\"}").then().statusCode(202).extract().path("runId");
        finished(first).then().body("status", equalTo("succeeded"));

        // a late event arrives and marks the day before it is written, as ingestion does
        new LateDataMarks(marks, new ReportingCalendar(SEOUL), clock).beforeWriting(Map.of(day, 1));
        event(device, day, "back");
        assertTrue(marks.lateDays().contains(day));

        // the next run, for another day, also takes the marked day
        LocalDate other = today().minusDays(8);
        Response started = operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"" + other + "\"}");
        started.then().statusCode(202);
        assertTrue(started.jsonPath().getList("dates").contains(day.toString()), started.asString());
        finished(started.jsonPath().getString("runId")).then().body("status", equalTo("succeeded"));

        operator("GET", "/api/daily-summary/" + day + "/" + device, null).then().body("events.total", equalTo(2));
        assertFalse(marks.lateDays().contains(day), "the mark is cleared once re-aggregated");

        // and the late event is in the day's archive, as Athena reads it
        Path copy = Files.createTempDirectory("late-archive");
        String bucket = config.archive().bucket();
        String prefix = "events/dt=" + day + "/";
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            Path f = copy.resolve(o.key());
            Files.createDirectories(f.getParent());
            Files.write(f, s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
        }
        try (ArchiveSql sql = new ArchiveSql(copy)) {
            assertEquals(List.of(List.of("back"), List.of("tap")), sql.rows("SELECT eventType FROM events WHERE deviceId = '" + device
                    + "' AND dt = '" + day + "' ORDER BY eventType"));
        }
    }

    @Test
    void aggregate_validation() {
        LocalDate today = today();
        operator("POST", "/api/daily-summary/aggregate", "{\"from\":\"" + today.minusDays(40) + "\",\"to\":\"" + today.minusDays(9) + "\"}")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"" + today.plusDays(1) + "\"}")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"2025-13-01\"}").then().statusCode(400).body("errors[0].field", equalTo("date"));
        operator("POST", "/api/daily-summary/aggregate", "{}").then().statusCode(400);
        operator("POST", "/api/daily-summary/aggregate", "{\"from\":\"" + today.minusDays(2) + "\",\"to\":\"" + today.minusDays(3) + "\"}")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        operator("GET", "/api/daily-summary", null).then().statusCode(400).body("errors[0].field", equalTo("date"));
        operator("GET", "/api/daily-summary/runs/" + UUID.randomUUID(), null).then().statusCode(404);
        given().when().get("/api/daily-summary/runs").then().statusCode(401);

        operator("GET", "/api/daily-summary/rollups/2025-02-30", null).then().statusCode(400).body("errors[0].field", equalTo("date"));
        operator("GET", "/api/daily-summary/rollups/" + today.minusDays(200) + "?storeId=s1&countryCode=KR", null)
                .then().statusCode(400).body("errors[0].field", equalTo("countryCode"));
        operator("GET", "/api/daily-summary/rollups/" + today.minusDays(200) + "?storeId=nowhere", null).then().statusCode(404);
        given().when().get("/api/daily-summary/rollups/" + today.minusDays(200)).then().statusCode(401);
    }

    @Test
    void backfillOfThreeDays_coversEachDay() throws Exception {
        LocalDate to = today().minusDays(15);
        String runId = operator("POST", "/api/daily-summary/aggregate", "{\"from\":\"" + to.minusDays(2) + "\",\"to\":\"" + to + "\"}")
                .then().statusCode(202).extract().path("runId");
        List<String> dates = finished(runId).jsonPath().getList("days.date");
        assertTrue(dates.containsAll(List.of(to.minusDays(2).toString(), to.minusDays(1).toString(), to.toString())), dates.toString());
        assertEquals("succeeded", finished(runId).jsonPath().getString("status"));
    }
}
