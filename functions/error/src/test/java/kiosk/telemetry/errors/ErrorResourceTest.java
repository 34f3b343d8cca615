package kiosk.telemetry.errors;

import kiosk.telemetry.core.store.SessionItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class ErrorResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "test-admin-token";

    @Inject
    DevicesTable devices;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @Inject
    TestClock clock;

    private String deviceId;
    private String token;
    /** A code unique to each test, so its groups are its own. */
    private String code;

    @BeforeEach
    void kiosk() {
        deviceId = "err-" + UUID.randomUUID().toString().substring(0, 12);
        token = register(deviceId);
        code = "PRINTER_JAM_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private String register(String id) {
        return Registry.register(devices, id, "store-e", null, "KR", clock.instant());
    }

    private ObjectNode error(int tray) {
        ObjectNode e = MAPPER.createObjectNode().put("errorId", UUID.randomUUID().toString())
                .put("sessionId", UUID.randomUUID().toString())
                .put("timestamp", clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toString())
                .put("severity", "error").put("category", "hardware").put("code", code)
                .put("message", "Printer jam at tray " + tray).put("stack", "PrinterException: jam\n\tat kiosk.print.Tray.feed(Tray.java:" + (40 + tray) + ")");
        e.putArray("breadcrumbs").addObject().put("timestamp", clock.instant().minusSeconds(61).toString())
                .put("type", "navigation").put("message", "enter print").putObject("data");
        e.putObject("deviceState").put("printerPaper", 12).put("networkOnline", true);
        return e;
    }

    private Response report(String t, ObjectNode body) {
        return given().header("Authorization", "Bearer " + t).contentType("application/json").body(body.toString()).post("/api/errors");
    }

    private Response operator(String method, String path, String body) {
        var req = given().header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            req = req.contentType("application/json").body(body);
        }
        return req.request(method, path);
    }

    private ObjectNode group(String fingerprint) {
        String from = clock.instant().minus(1, ChronoUnit.HOURS).toString();
        Response r = operator("GET", "/api/errors/groups?from=" + from + "&limit=500", null);
        r.then().statusCode(200);
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        return items.stream().filter(i -> fingerprint.equals(i.get("fingerprint"))).findFirst()
                .map(i -> (ObjectNode) MAPPER.valueToTree(i)).orElseThrow(() -> new AssertionError("no group " + fingerprint));
    }

    @Test
    void report_201_withFingerprint_then200_andTheErrorReadsBackWhole() {
        ObjectNode e = error(2);
        String fp = report(token, e).then().statusCode(201).body("created", equalTo(true))
                .body("errorId", equalTo(e.get("errorId").asText())).extract().path("fingerprint");
        report(token, e.put("message", "changed")).then().statusCode(200).body("created", equalTo(false))
                .body("fingerprint", equalTo(fp));
        operator("GET", "/api/errors/" + e.get("errorId").asText(), null).then().statusCode(200)
                .body("message", equalTo("Printer jam at tray 2")).body("fingerprint", equalTo(fp))
                .body("breadcrumbs[0].type", equalTo("navigation")).body("deviceState.printerPaper", equalTo(12))
                .body("resolved", equalTo(false)).body("deviceId", equalTo(deviceId));
        assertEquals(1L, group(fp).get("count").asLong());
    }

    @Test
    void sameErrorThreeTimesConcurrently_isOneRecord_andCountedOnce() throws Exception {
        ObjectNode e = error(2);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Response>> calls = List.of(() -> report(token, e), () -> report(token, e), () -> report(token, e));
            int created = 0;
            String fp = null;
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                assertEquals(true, r.statusCode() == 201 || r.statusCode() == 200, r.asString());
                created += r.statusCode() == 201 ? 1 : 0;
                fp = r.jsonPath().getString("fingerprint");
            }
            assertEquals(1, created);
            ObjectNode g = group(fp);
            assertEquals(1L, g.get("count").asLong());
            assertEquals(1L, g.get("devices").asLong());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameProblemOnThreeKiosks_isOneGroup_aDifferentProblemAnother() {
        String fp = report(token, error(2)).then().statusCode(201).extract().path("fingerprint");
        report(token, error(3)).then().statusCode(201).body("fingerprint", equalTo(fp));
        report(register("err-b-" + UUID.randomUUID().toString().substring(0, 8)), error(1)).then().body("fingerprint", equalTo(fp));
        report(register("err-c-" + UUID.randomUUID().toString().substring(0, 8)), error(4)).then().body("fingerprint", equalTo(fp));
        String other = report(token, error(2).put("message", "Printer lid open")).then().statusCode(201).extract().path("fingerprint");
        assertNotEquals(fp, other);

        ObjectNode g = group(fp);
        assertEquals(4L, g.get("count").asLong());
        assertEquals(3L, g.get("devices").asLong());
        assertEquals("open", g.get("status").asText());
        assertEquals("hardware", g.get("category").asText());
    }

    @Test
    void resolveTwice_keepsTheFirstResolution() {
        ObjectNode e = error(2);
        report(token, e).then().statusCode(201);
        String id = e.get("errorId").asText();
        String at = operator("PATCH", "/api/errors/" + id + "/resolve", "{\"resolvedBy\":\"ops-kim\",\"note\":\"cleared tray\"}")
                .then().statusCode(200).body("resolved", equalTo(true)).body("resolvedBy", equalTo("ops-kim")).extract().path("resolvedAt");
        operator("PATCH", "/api/errors/" + id + "/resolve", "{\"resolvedBy\":\"ops-lee\"}").then().statusCode(200)
                .body("resolvedAt", equalTo(at)).body("resolvedBy", equalTo("ops-kim")).body("note", equalTo("cleared tray"));
        operator("PATCH", "/api/errors/" + UUID.randomUUID() + "/resolve", "{\"resolvedBy\":\"x\"}").then().statusCode(404);
        operator("PATCH", "/api/errors/" + id + "/resolve", "{}").then().statusCode(400).body("errors[0].field", equalTo("resolvedBy"));
    }

    @Test
    void resolvingAGroup_resolvesItsErrors_andANewErrorRegressesIt() {
        ObjectNode e1 = error(2);
        ObjectNode e2 = error(5);
        String fp = report(token, e1).then().statusCode(201).extract().path("fingerprint");
        report(token, e2).then().statusCode(201);

        operator("PATCH", "/api/errors/groups/" + fp + "/resolve", "{\"resolvedBy\":\"ops-kim\"}").then().statusCode(200)
                .body("status", equalTo("resolved")).body("fingerprint", equalTo(fp));
        operator("GET", "/api/errors/" + e1.get("errorId").asText(), null).then().body("resolved", equalTo(true));
        operator("GET", "/api/errors/" + e2.get("errorId").asText(), null).then().body("resolved", equalTo(true));
        assertEquals("resolved", group(fp).get("status").asText());

        clock.advance(Duration.ofSeconds(1)); // the new error is received after the resolution
        report(token, error(7)).then().statusCode(201).body("fingerprint", equalTo(fp));
        assertEquals("regressed", group(fp).get("status").asText());
        String from = clock.instant().minus(1, ChronoUnit.HOURS).toString();
        operator("GET", "/api/errors/groups?from=" + from + "&resolved=false&category=hardware&limit=500", null).then().statusCode(200)
                .body("items.fingerprint", hasItem(fp));
        operator("GET", "/api/errors/groups?from=" + from + "&resolved=true&limit=500", null).then().statusCode(200)
                .body("items.fingerprint", not(hasItem(fp)));
        operator("PATCH", "/api/errors/groups/0000000000aaaaaaaaaa/resolve", "{\"resolvedBy\":\"x\"}").then().statusCode(404);
    }

    @Test
    void aReportThatWouldExceedTheStoredSizeLimit_is413WithTheReason_andNothingIsStored_oneBelowItIsStored() {
        // GIVEN a report within every field limit whose item would exceed DynamoDB's 400 KB: 50 breadcrumbs of 8 KB data
        ObjectNode huge = withBreadcrumbs(error(1), 50);
        ObjectNode large = withBreadcrumbs(error(2), 30);

        // WHEN it is reported, THEN 413 with the reason, and no record
        report(token, huge).then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("more than the limit of " + config.limits().maxErrorItemBytes()));
        operator("GET", "/api/errors/" + huge.get("errorId").asText(), null).then().statusCode(404);

        // AND a report of about 280 KB stored is accepted
        report(token, large).then().statusCode(201).body("created", equalTo(true));
    }

    private ObjectNode withBreadcrumbs(ObjectNode error, int n) {
        error.put("stack", "PrinterException: jam\n\tat kiosk.print.Tray.feed(Tray.java:41)\n" + "x".repeat(32 * 1024 - 64));
        ArrayNode crumbs = error.putArray("breadcrumbs");
        for (int i = 0; i < n; i++) {
            crumbs.addObject().put("timestamp", clock.instant().minusSeconds(61).toString()).put("type", "navigation")
                    .putObject("data").put("blob", "d".repeat(8000));
        }
        return error;
    }

    @Test
    void validation_isFieldLevel_withBreadcrumbPaths() {
        report(token, error(1).put("severity", "critical")).then().statusCode(400).body("errors[0].field", equalTo("severity"));
        report(token, error(1).put("category", "power")).then().statusCode(400).body("errors[0].field", equalTo("category"));
        ObjectNode noMessage = error(1);
        noMessage.remove("message");
        report(token, noMessage).then().statusCode(400).body("errors[0].field", equalTo("message"));
        report(token, error(1).put("stack", "x".repeat(32 * 1024 + 1))).then().statusCode(400).body("errors[0].field", equalTo("stack"));
        ObjectNode many = error(1);
        ArrayNode crumbs = many.putArray("breadcrumbs");
        for (int i = 0; i < 51; i++) {
            crumbs.addObject().put("timestamp", clock.instant().toString());
        }
        report(token, many).then().statusCode(400).body("errors[0].field", equalTo("breadcrumbs"));
        ObjectNode badCrumb = error(1);
        ((ObjectNode) badCrumb.get("breadcrumbs").get(0)).put("timestamp", "yesterday");
        report(token, badCrumb).then().statusCode(400).body("errors[0].field", equalTo("breadcrumbs[0].timestamp"));
        ObjectNode bigState = error(1);
        ((ObjectNode) bigState.get("deviceState")).put("dump", "x".repeat(8200));
        report(token, bigState).then().statusCode(400).body("errors[0].field", equalTo("deviceState"));
    }

    @Test
    void auth_anotherDevicesSession_is403_anotherDevicesErrorId_is409_deviceOnOperatorRoute_is403() {
        String foreign = UUID.randomUUID().toString();
        dynamo.putItem(b -> b.tableName(config.tables().sessions()).item(Map.of(
                SessionItem.SESSION_ID.name(), SessionItem.SESSION_ID.value(foreign),
                SessionItem.DEVICE_ID.name(), SessionItem.DEVICE_ID.value("another-kiosk"))));
        report(token, error(1).put("sessionId", foreign)).then().statusCode(403);

        ObjectNode e = error(1);
        report(token, e).then().statusCode(201);
        report(register("err-x-" + UUID.randomUUID().toString().substring(0, 8)), e).then().statusCode(409);
        given().header("Authorization", "Bearer " + token).get("/api/errors").then().statusCode(403);
    }

    @Test
    void list_byDeviceAndSeverity_withCursorWalk() {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ObjectNode e = error(i).put("severity", i % 2 == 0 ? "warning" : "error")
                    .put("timestamp", clock.instant().minusSeconds(100 - i).truncatedTo(ChronoUnit.MILLIS).toString());
            e.remove("stack");
            report(token, e).then().statusCode(201);
            if (i % 2 == 0) {
                warnings.add(0, e.get("errorId").asText());
            }
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Response r = operator("GET", "/api/errors?deviceId=" + deviceId + "&severity=warning&limit=1" + (cursor == null ? "" : "&cursor=" + cursor), null);
            r.then().statusCode(200);
            walked.addAll(r.jsonPath().getList("items.errorId"));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertEquals(warnings, walked, "newest first, warnings only");
        operator("GET", "/api/errors?resolved=maybe", null).then().statusCode(400).body("errors[0].field", equalTo("resolved"));
    }
}
