package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.lambda.ApiGatewayEvent;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks.RouteCase;
import kiosk.telemetry.engines.lambda.LambdaHandler;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The error function as AWS runs it: its real Lambda handler, in the operator mode it defaults to (IAM), fed
 * the API Gateway v2 event of every route template.yaml gives it, with and without the route's auth.
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
        String deviceId = "err-deployed-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Registry.register(devices, deviceId, "store-e", null, "KR", clock.instant());
        LambdaHandler handler = LambdaHandler.underTest("ErrorFunction");

        // one error first, to read and resolve it and its group
        ObjectNode first = error();
        var reported = handler.send(ApiGatewayEvent.matched("POST", "/api/errors", "/api/errors").bearer(token).json(first.toString()));
        assertEquals(201, reported.status(), reported.toString());
        String errorId = first.get("errorId").asText();
        String fingerprint = reported.json().get("fingerprint").asText();
        String from = clock.instant().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/errors", RouteCase.send("/api/errors", error().toString(), 201));
        cases.put("GET /api/errors", RouteCase.get("/api/errors", "deviceId=" + deviceId, 200));
        cases.put("GET /api/errors/{errorId}", RouteCase.get("/api/errors/" + errorId, "", 200));
        cases.put("GET /api/errors/groups", RouteCase.get("/api/errors/groups", "from=" + from, 200));
        cases.put("PATCH /api/errors/{errorId}/resolve", RouteCase.send("/api/errors/" + errorId + "/resolve", "{\"resolvedBy\":\"ops\"}", 200));
        cases.put("PATCH /api/errors/groups/{fingerprint}/resolve", RouteCase.send("/api/errors/groups/" + fingerprint + "/resolve",
                "{\"resolvedBy\":\"ops\"}", 200));
        var answers = new DeployedShapeChecks("ErrorFunction", handler).everyRoute(cases, token);

        assertEquals(2, answers.get("GET /api/errors").json().get("items").size());

        // through the dashboard API: viewers read the groups, operators resolve them; a store-limited viewer
        // reads no groups (they are fleet-wide)
        Map<String, RouteCase> dashboard = new LinkedHashMap<>();
        dashboard.put("GET /api/errors/groups", RouteCase.get("/api/errors/groups", "from=" + from, 200));
        dashboard.put("PATCH /api/errors/groups/{fingerprint}/resolve", RouteCase.send("/api/errors/groups/" + fingerprint + "/resolve",
                "{\"resolvedBy\":\"night shift\"}", 200));
        var signedIn = new DeployedShapeChecks("ErrorFunction", handler).everyDashboardRoute(dashboard);
        assertEquals("night shift", signedIn.get("PATCH /api/errors/groups/{fingerprint}/resolve").json().get("resolvedBy").asText());
        var limited = handler.send(ApiGatewayEvent.matched("GET", "/api/errors/groups", "/api/errors/groups").query("from=" + from)
                .jwt(ApiGatewayEvent.SignedIn.viewerOf("store-e", null)));
        assertEquals(403, limited.status(), limited.toString());
        assertEquals(errorId, answers.get("GET /api/errors/{errorId}").json().get("errorId").asText());
    }

    private ObjectNode error() {
        return MAPPER.createObjectNode().put("errorId", UUID.randomUUID().toString())
                .put("timestamp", clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toString())
                .put("severity", "error").put("category", "hardware").put("code", "DEPLOYED_SHAPE")
                .put("message", "Printer jam at tray 1");
    }
}
