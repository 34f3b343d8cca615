package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.store.MetricItem;
import kiosk.telemetry.core.store.SessionDayItem;
import kiosk.telemetry.core.store.TimingItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a timing costs and where it lands: one item in the Timings table, no index entry, and one session-day entry per
 * (session, day, device) however many timings it has; app starts outside a session under their device; and timings stored
 * in the old Metrics table still answer a resend as the same record and are listed once.
 */
@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class TimingStorageTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "test-admin-token";

    @Inject
    DevicesTable devices;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @Inject
    ReportingCalendar calendar;

    @Inject
    Clock clock;

    private String deviceId;
    private String token;

    @BeforeEach
    void kiosk() {
        deviceId = "timing-" + UUID.randomUUID().toString().substring(0, 12);
        token = register(deviceId);
    }

    private String register(String id) {
        return Registry.register(devices, id, "store-t", null, "KR", clock.instant());
    }

    private Instant recent(int secondsAgo) {
        return clock.instant().minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MILLIS);
    }

    private ObjectNode timing(String sessionId, String type, Instant at) {
        ObjectNode m = MAPPER.createObjectNode().put("metricId", UUID.randomUUID().toString()).put("metricType", type)
                .put("timestamp", at.toString()).put("durationMs", 1200);
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return m;
    }

    private Response post(String t, String path, String body) {
        return given().header("Authorization", "Bearer " + t).contentType("application/json").body(body).post(path);
    }

    private List<Map<String, AttributeValue>> itemsOf(String table, String partition, String value) {
        return dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", partition)).expressionAttributeValues(Map.of(":k", AttributeValue.fromS(value))))
                .items().stream().toList();
    }

    private List<String> listedIds(String query) {
        Response r = given().header("Authorization", "Bearer " + ADMIN).get("/api/performance?" + query);
        r.then().statusCode(200);
        return r.jsonPath().getList("items.metricId");
    }

    @Test
    void aSessionsTimings_areOneItemEach_andOneDirectoryEntry() {
        String session = UUID.randomUUID().toString();
        ObjectNode body = MAPPER.createObjectNode();
        var list = body.putArray("metrics");
        for (String type : List.of("capture", "render", "print", "payment")) {
            list.add(timing(session, type, recent(60)));
        }
        post(token, "/api/performance/batch", body.toString()).then().statusCode(200).body("accepted", equalTo(4));
        post(token, "/api/performance", timing(session, "capture", recent(50)).toString()).then().statusCode(201);

        List<Map<String, AttributeValue>> stored = itemsOf(config.tables().timings(), TimingItem.SESSION_KEY.name(), session);
        assertEquals(5, stored.size());
        stored.forEach(item -> assertEquals(deviceId, TimingItem.DEVICE_ID.get(item)));
        List<Map<String, AttributeValue>> entries = itemsOf(config.tables().eventSessionDays(), SessionDayItem.SESSION_ID.name(), session);
        assertEquals(1, entries.size());
        assertEquals(SessionDayItem.dayDevice(calendar.dayOf(recent(60)), deviceId), SessionDayItem.DAY_DEVICE.get(entries.get(0)));
    }

    @Test
    void appStarts_areKeptUnderTheirDevice_soAnotherKiosksIdIsItsOwnRecord() {
        ObjectNode appStart = timing(null, "app_start", recent(40));
        post(token, "/api/performance", appStart.toString()).then().statusCode(201).body("created", equalTo(true));
        post(token, "/api/performance", appStart.toString()).then().statusCode(200).body("created", equalTo(false));
        String other = "timing-other-" + UUID.randomUUID().toString().substring(0, 8);
        post(register(other), "/api/performance", appStart.toString()).then().statusCode(201);

        String id = appStart.get("metricId").asText();
        assertEquals(1, itemsOf(config.tables().timings(), TimingItem.SESSION_KEY.name(), TimingItem.sessionKey(null, deviceId)).size());
        assertEquals(List.of(id), listedIds("deviceId=" + deviceId));
        assertEquals(List.of(id), listedIds("deviceId=" + other));
        given().header("Authorization", "Bearer " + ADMIN).get("/api/performance?deviceId=" + deviceId).then()
                .body("items[0].sessionId", equalTo(null)).body("items[0].metricType", equalTo("app_start"));
    }

    @Test
    void aTimingInTheOldMetricsTable_isTheSameRecord_whenSentAgain_andListedOnce() {
        ObjectNode old = timing(UUID.randomUUID().toString(), "capture", recent(120));
        String id = old.get("metricId").asText();
        Instant at = Instant.parse(old.get("timestamp").asText());
        LocalDate day = calendar.dayOf(at);
        Map<String, AttributeValue> item = new HashMap<>();
        MetricItem.METRIC_ID.put(item, id);
        MetricItem.SESSION_ID.put(item, old.get("sessionId").asText());
        MetricItem.DEVICE_ID.put(item, deviceId);
        MetricItem.METRIC_TYPE.put(item, "capture");
        MetricItem.TIMESTAMP.put(item, at);
        MetricItem.DURATION_MS.put(item, 1200L);
        MetricItem.SUCCESS.put(item, true);
        MetricItem.DAY.put(item, day);
        MetricItem.DAY_SHARD.put(item, MetricItem.dayShard(day, old.get("sessionId").asText(), id, config.shards().metrics()));
        MetricItem.TS.put(item, MetricItem.sortKey(at, id));
        MetricItem.RECEIVED_AT.put(item, at);
        dynamo.putItem(b -> b.tableName(config.tables().metrics()).item(item));

        post(token, "/api/performance", old.toString()).then().statusCode(200).body("created", equalTo(false));
        ObjectNode batch = MAPPER.createObjectNode();
        batch.putArray("metrics").add(old).add(timing(old.get("sessionId").asText(), "print", recent(100)));
        post(token, "/api/performance/batch", batch.toString()).then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        post(register("timing-other-" + UUID.randomUUID().toString().substring(0, 8)), "/api/performance", old.toString())
                .then().statusCode(409);

        assertEquals(0, itemsOf(config.tables().timings(), TimingItem.SESSION_KEY.name(), old.get("sessionId").asText()).stream()
                .filter(i -> id.equals(TimingItem.METRIC_ID.get(i))).count());
        List<String> listed = new ArrayList<>(listedIds("deviceId=" + deviceId));
        assertEquals(2, listed.size());
        assertEquals(id, listed.get(1));
        assertEquals(List.of(id), listedIds("deviceId=" + deviceId + "&metricType=capture"));
    }
}
