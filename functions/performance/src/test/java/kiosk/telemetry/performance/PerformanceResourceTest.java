package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.store.SessionItem;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class PerformanceResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "test-admin-token";

    @Inject
    DevicesTable devices;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @Inject
    Clock clock;

    private String deviceId;
    private String token;

    @BeforeEach
    void kiosk() {
        deviceId = "perf-" + UUID.randomUUID().toString().substring(0, 12);
        token = register(deviceId);
    }

    /** A registered device (registration is the session function's route; here it is a fixture). */
    private String register(String id) {
        return Registry.register(devices, id, "store-p", null, "KR", clock.instant());
    }

    private ObjectNode metric() {
        try (InputStream in = PerformanceResourceTest.class.getResourceAsStream("/fixtures/metric-capture.json")) {
            return ((ObjectNode) MAPPER.readTree(in)).put("metricId", UUID.randomUUID().toString())
                    .put("sessionId", UUID.randomUUID().toString())
                    .put("timestamp", clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS).toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response post(String t, String path, String body) {
        return given().header("Authorization", "Bearer " + t).contentType("application/json").body(body).post(path);
    }

    private List<String> list(String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response r = given().header("Authorization", "Bearer " + ADMIN)
                    .get("/api/performance?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            r.then().statusCode(200);
            ids.addAll(r.jsonPath().getList("items.metricId"));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        return ids;
    }

    @Test
    void single_201_then200_storesDurationAndSuccess_andAnotherDevicesId_is409() {
        ObjectNode m = metric();
        post(token, "/api/performance", m.toString()).then().statusCode(201)
                .body("metricId", equalTo(m.get("metricId").asText())).body("created", equalTo(true));
        post(token, "/api/performance", m.put("durationMs", 1).toString()).then().statusCode(200).body("created", equalTo(false));
        given().header("Authorization", "Bearer " + ADMIN).get("/api/performance?deviceId=" + deviceId).then().statusCode(200)
                .body("items[0].durationMs", equalTo(1834)).body("items[0].success", equalTo(true))
                .body("items[0].breakdown.save", equalTo(1714)).body("items[0].metricType", equalTo("capture"));
        post(register("perf-other-" + UUID.randomUUID().toString().substring(0, 8)), "/api/performance", m.toString())
                .then().statusCode(409);
    }

    @Test
    void single_validation_isFieldLevel() {
        post(token, "/api/performance", metric().put("metricType", "scan").toString()).then().statusCode(400)
                .body("errors[0].field", equalTo("metricType"));
        post(token, "/api/performance", metric().put("durationMs", 3_600_000).toString()).then().statusCode(400)
                .body("errors[0].field", equalTo("durationMs"));
        post(token, "/api/performance", metric().put("durationMs", "1834").toString()).then().statusCode(400)
                .body("errors[0].field", equalTo("durationMs"));
        post(token, "/api/performance", metric().put("success", 1).toString()).then().statusCode(400)
                .body("errors[0].field", equalTo("success"));
        ObjectNode big = metric();
        ((ObjectNode) big.get("context")).put("blob", "x".repeat(8200));
        post(token, "/api/performance", big.toString()).then().statusCode(400).body("errors[0].field", equalTo("context"));
        ObjectNode noDuration = metric();
        noDuration.remove("durationMs");
        post(token, "/api/performance", noDuration.toString()).then().statusCode(400).body("errors[0].field", equalTo("durationMs"));
        ObjectNode appStart = metric().put("metricType", "app_start");
        appStart.remove("sessionId");
        post(token, "/api/performance", appStart.toString()).then().statusCode(201);
    }

    @Test
    void metricOfAnotherDevicesSession_is403_singleAndRejectedInBatch() {
        String foreign = UUID.randomUUID().toString();
        dynamo.putItem(b -> b.tableName(config.tables().sessions()).item(Map.of(
                SessionItem.SESSION_ID.name(), SessionItem.SESSION_ID.value(foreign),
                SessionItem.DEVICE_ID.name(), SessionItem.DEVICE_ID.value("another-kiosk"))));
        post(token, "/api/performance", metric().put("sessionId", foreign).toString()).then().statusCode(403);

        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("metrics").add(metric().put("sessionId", foreign)).add(metric());
        post(token, "/api/performance/batch", body.toString()).then().statusCode(200)
                .body("accepted", equalTo(1)).body("rejected[0].index", equalTo(0))
                .body("rejected[0].errors[0].field", equalTo("sessionId"));
    }

    @Test
    void batch_sharesTheEventBatchShape_perItemResults() {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("metrics");
        ObjectNode dup = metric();
        arr.add(metric()).add(metric().put("durationMs", -1)).add(dup).add(dup.deepCopy()).add(metric().put("metricType", "x"));
        post(token, "/api/performance/batch", body.toString()).then().statusCode(200)
                .body("accepted", equalTo(2)).body("duplicates", equalTo(1))
                .body("rejected.index", equalTo(List.of(1, 4)))
                .body("rejected[0].errors[0].field", equalTo("durationMs"));

        ObjectNode allBad = MAPPER.createObjectNode();
        allBad.putArray("metrics").add(metric().put("metricType", "x"));
        post(token, "/api/performance/batch", allBad.toString()).then().statusCode(400)
                .contentType("application/problem+json").body("rejected[0].index", equalTo(0));
        ObjectNode tooMany = MAPPER.createObjectNode();
        ArrayNode many = tooMany.putArray("metrics");
        for (int i = 0; i < 501; i++) {
            many.add(metric());
        }
        post(token, "/api/performance/batch", tooMany.toString()).then().statusCode(400).body("errors[0].field", equalTo("metrics"));
    }

    @Test
    void sameIdThreeTimesConcurrently_isOneRecord() throws Exception {
        ObjectNode m = metric();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Response>> calls = List.of(() -> post(token, "/api/performance", m.toString()),
                    () -> post(token, "/api/performance", m.toString()), () -> post(token, "/api/performance", m.toString()));
            int created = 0;
            for (Future<Response> f : pool.invokeAll(calls)) {
                if (f.get().statusCode() == 201) {
                    created++;
                }
            }
            assertEquals(1, created);
            assertEquals(List.of(m.get("metricId").asText()), list("deviceId=" + deviceId));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void list_filtersByTypeAndSuccess_withCursorWalk() {
        Set<String> failedCaptures = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            ObjectNode m = metric().put("metricType", i % 3 == 0 ? "print" : "capture").put("success", i % 2 == 0)
                    .put("timestamp", clock.instant().minusSeconds(100 - i).truncatedTo(ChronoUnit.MILLIS).toString());
            post(token, "/api/performance", m.toString()).then().statusCode(201);
            if (i % 3 != 0 && i % 2 != 0) {
                failedCaptures.add(m.get("metricId").asText());
            }
        }
        List<String> walked = list("deviceId=" + deviceId + "&metricType=capture&success=false&limit=1");
        assertEquals(failedCaptures, new HashSet<>(walked));
        assertEquals(failedCaptures.size(), walked.size());
        assertEquals(9, list("deviceId=" + deviceId + "&limit=2").size());
        given().header("Authorization", "Bearer " + ADMIN).get("/api/performance?success=yes").then().statusCode(400)
                .body("errors.field", hasItem("success"));
        given().header("Authorization", "Bearer " + token).get("/api/performance").then().statusCode(403);
    }
}
