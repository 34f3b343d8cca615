package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks.RouteCase;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks;
import kiosk.telemetry.engines.lambda.LambdaHandler;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The performance function as AWS runs it: its real Lambda handler, in the operator mode it defaults to (IAM),
 * fed the API Gateway v2 event of every route template.yaml gives it, with and without the route's auth.
 */
@QuarkusTest
@TestProfile(AsDeployed.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DeployedShapeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DevicesTable devices;

    @Inject
    Clock clock;

    @Test
    void everyRoute_answersWithTheAuthTheTemplateDeclares_and401WithoutIt() {
        String deviceId = "perf-deployed-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Registry.register(devices, deviceId, "store-p", null, "KR", clock.instant());
        LambdaHandler handler = LambdaHandler.underTest("PerformanceFunction");

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/performance", RouteCase.send("/api/performance", metric().toString(), 201));
        cases.put("POST /api/performance/batch", RouteCase.send("/api/performance/batch",
                MAPPER.createObjectNode().set("metrics", MAPPER.createArrayNode().add(metric()).add(metric())).toString(), 200));
        cases.put("GET /api/performance", RouteCase.get("/api/performance", "deviceId=" + deviceId, 200));
        var answers = new DeployedShapeChecks("PerformanceFunction", handler).everyRoute(cases, token);

        assertEquals(2, answers.get("POST /api/performance/batch").json().get("accepted").asInt());
        assertEquals(3, answers.get("GET /api/performance").json().get("items").size());
    }

    private ObjectNode metric() {
        try (InputStream in = DeployedShapeTest.class.getResourceAsStream("/fixtures/metric-capture.json")) {
            return ((ObjectNode) MAPPER.readTree(in)).put("metricId", UUID.randomUUID().toString())
                    .put("timestamp", clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
