package kiosk.telemetry.events;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks.RouteCase;
import kiosk.telemetry.engines.lambda.LambdaHandler;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event-batch function as AWS runs it: its real Lambda handler, in the operator mode it defaults to (IAM),
 * fed the API Gateway v2 event of every route template.yaml gives it, with and without the route's auth.
 */
@QuarkusTest
@TestProfile(AsDeployed.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DeployedShapeTest {

    @Inject
    DevicesTable devices;

    @Test
    void everyRoute_answersWithTheAuthTheTemplateDeclares_and401WithoutIt() {
        String deviceId = Kiosk.newDeviceId();
        String token = Kiosk.register(devices, deviceId);
        String sessionId = UUID.randomUUID().toString();
        LambdaHandler handler = LambdaHandler.underTest("EventBatchFunction");

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/events/batch", RouteCase.send("/api/events/batch", Kiosk.batch(Kiosk.events(sessionId, 0, 3)), 200));
        cases.put("GET /api/events", RouteCase.get("/api/events", "deviceId=" + deviceId, 200));
        cases.put("GET /api/events/session/{sessionId}", RouteCase.get("/api/events/session/" + sessionId, "", 200));
        var answers = new DeployedShapeChecks("EventBatchFunction", handler).everyRoute(cases, token);

        assertEquals(3, answers.get("POST /api/events/batch").json().get("accepted").asInt());
        assertEquals(3, answers.get("GET /api/events").json().get("items").size());
        assertEquals(3, answers.get("GET /api/events/session/{sessionId}").json().get("items").size());
    }
}
