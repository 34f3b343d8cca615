package kiosk.telemetry.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static kiosk.telemetry.session.Api.kiosk;
import static kiosk.telemetry.session.Api.newSession;
import static kiosk.telemetry.session.Api.operator;
import static kiosk.telemetry.session.Api.registerDevice;
import static kiosk.telemetry.session.Api.uniqueDeviceId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every request leaves one structured line with its id, route template, status, outcome, latency, device. */
@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class RequestLogTest {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r instanceof ExtLogRecord e) {
                e.copyAll(); // MDC is read lazily from the logging thread unless copied now
                records.add(e);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        Logger.getLogger("kiosk.telemetry.request").addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("kiosk.telemetry.request").removeHandler(capture);
    }

    private ExtLogRecord lineFor(String requestId) {
        return records.stream().filter(r -> requestId.equals(r.getMdc("requestId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no log line for " + requestId + " in " + records.size() + " records"));
    }

    @Test
    void kioskRequest_isLoggedWithDeviceRouteTemplateStatusAndLatency_andTheIdIsEchoed() {
        String device = uniqueDeviceId("log");
        String token = registerDevice(device, null, null, null);
        String sessionId = newSession(1).get("sessionId").asText();
        kiosk(token).header("X-Request-Id", "kiosk-req-42").contentType("application/json")
                .body(newSession(1).put("sessionId", sessionId).toString())
                .when().post("/api/sessions").then().statusCode(201).header("X-Request-Id", equalTo("kiosk-req-42"));

        ExtLogRecord line = lineFor("kiosk-req-42");
        assertEquals("POST", line.getMdc("method"));
        assertEquals("/api/sessions", line.getMdc("route"));
        assertEquals("201", line.getMdc("status"));
        assertEquals("ok", line.getMdc("outcome"));
        assertEquals(device, line.getMdc("deviceId"));
        assertTrue(Long.parseLong(line.getMdc("latencyMs")) >= 0);

        kiosk(token).contentType("application/json").body("{\"seq\":\"x\"}")
                .when().patch("/api/sessions/" + sessionId).then().statusCode(400)
                .header("X-Request-Id", matchesPattern("^[0-9a-f-]{36}$"));
        ExtLogRecord patch = records.stream().filter(r -> "/api/sessions/{sessionId}".equals(r.getMdc("route"))).reduce((a, b) -> b).orElseThrow();
        assertEquals("client_error", patch.getMdc("outcome"));
        assertEquals("400", patch.getMdc("status"));
    }

    @Test
    void operatorRequest_hasNoDevice_andAnInsaneIdIsReplaced() {
        String id = operator().header("X-Request-Id", "bad id with spaces").when().get("/api/devices?limit=1")
                .then().statusCode(200).extract().header("X-Request-Id");
        assertTrue(id.matches("^[0-9a-f-]{36}$"), id);
        ExtLogRecord line = lineFor(id);
        assertEquals("/api/devices", line.getMdc("route"));
        assertEquals(null, line.getMdc("deviceId"));
        assertEquals("admin-token", line.getMdc("operator"));

        String write = operator().header("X-Request-Id", "operator-write-1").contentType("application/json")
                .body("{\"deviceId\":\"" + uniqueDeviceId("log-op") + "\"}").when().post("/api/devices")
                .then().statusCode(201).extract().header("X-Request-Id");
        assertEquals("admin-token", lineFor(write).getMdc("operator"), "the operator of every write is logged");
    }
}
