package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.lambda.ApiGatewayEvent;
import kiosk.telemetry.engines.lambda.DeployedRoutes;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks.RouteCase;
import kiosk.telemetry.engines.lambda.LambdaHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session function as AWS runs it: its real Lambda handler fed the API Gateway v2 events of every route
 * template.yaml gives it, in the operator mode the function defaults to (IAM). Operator routes work with the IAM
 * authoriser's caller and answer 401 without; kiosk routes work with a device token and answer 401 without.
 * The catch-all {@code $default} route reaches nothing but 404/405.
 */
@QuarkusTest
@TestProfile(AsDeployed.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DeployedShapeTest {

    private static final String FUNCTION = "SessionFunction";
    private final LambdaHandler handler = LambdaHandler.underTest(FUNCTION);
    private final DeployedShapeChecks checks = new DeployedShapeChecks(FUNCTION, handler);

    @Inject
    Clock clock;

    @Test
    void everyRoute_answersWithTheAuthTheTemplateDeclares_and401WithoutIt() {
        String deviceId = Api.uniqueDeviceId("deployed");
        String spareId = Api.uniqueDeviceId("deployed-spare");
        String token = register(deviceId);
        register(spareId);
        ObjectNode session = Api.newSession(5);
        String sessionId = session.get("sessionId").asText();
        ObjectNode sale = Api.fixture("sale-valid.json").put("saleId", Api.uuid()).put("sessionId", sessionId)
                .put("soldAt", clock.instant().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString());
        String saleId = sale.get("saleId").asText();

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/devices", RouteCase.send("/api/devices", "{\"deviceId\":\"" + Api.uniqueDeviceId("deployed-new") + "\"}", 201));
        cases.put("GET /api/devices", RouteCase.get("/api/devices", "limit=2", 200));
        cases.put("GET /api/devices/{deviceId}", RouteCase.get("/api/devices/" + deviceId, "", 200));
        cases.put("POST /api/sessions", RouteCase.send("/api/sessions", session.toString(), 201));
        cases.put("PATCH /api/sessions/{sessionId}", RouteCase.send("/api/sessions/" + sessionId,
                "{\"seq\":1,\"status\":\"in_progress\"}", 200));
        cases.put("GET /api/sessions", RouteCase.get("/api/sessions", "deviceId=" + deviceId, 200));
        cases.put("GET /api/sessions/{sessionId}", RouteCase.get("/api/sessions/" + sessionId, "", 200));
        cases.put("POST /api/sales", RouteCase.send("/api/sales", sale.toString(), 201));
        cases.put("GET /api/sales", RouteCase.get("/api/sales", "deviceId=" + deviceId, 200));
        cases.put("GET /api/sales/{saleId}", RouteCase.get("/api/sales/" + saleId, "", 200));
        cases.put("POST /api/devices/{deviceId}/token", RouteCase.send("/api/devices/" + spareId + "/token", null, 200));
        cases.put("DELETE /api/devices/{deviceId}", RouteCase.get("/api/devices/" + spareId, "", 204));
        cases.put("POST /api/devices/{deviceId}/restore", RouteCase.send("/api/devices/" + spareId + "/restore", null, 200));
        var answers = checks.everyRoute(cases, token);

        assertEquals(sessionId, answers.get("GET /api/sessions/{sessionId}").json().get("sessionId").asText());
        assertEquals("in_progress", answers.get("GET /api/sessions/{sessionId}").json().get("status").asText());
        assertEquals(1, answers.get("GET /api/sales").json().get("items").size());
    }

    @Test
    void theDeviceRoutesOfTheDashboardApi_letSignedInViewersRead_andOperatorsManage() {
        String deviceId = Api.uniqueDeviceId("dash");
        String spareId = Api.uniqueDeviceId("dash-spare");
        register(deviceId);
        register(spareId);
        String newId = Api.uniqueDeviceId("dash-new");

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/devices", RouteCase.send("/api/devices", "{\"deviceId\":\"" + newId + "\",\"storeId\":\"store-9\"}", 201));
        cases.put("GET /api/devices", RouteCase.get("/api/devices", "limit=2", 200));
        cases.put("GET /api/devices/{deviceId}", RouteCase.get("/api/devices/" + deviceId, "", 200));
        cases.put("POST /api/devices/{deviceId}/token", RouteCase.send("/api/devices/" + spareId + "/token", null, 200));
        cases.put("DELETE /api/devices/{deviceId}", RouteCase.get("/api/devices/" + spareId, "", 204));
        cases.put("POST /api/devices/{deviceId}/restore", RouteCase.send("/api/devices/" + spareId + "/restore", null, 200));
        var answers = checks.everyDashboardRoute(cases);
        assertEquals(newId, answers.get("POST /api/devices").json().get("deviceId").asText());

        // the viewer's POST before it stored nothing: the operator's registration was the first
        var again = handler.send(ApiGatewayEvent.matched("GET", "/api/devices/{deviceId}", "/api/devices/" + newId)
                .jwt(ApiGatewayEvent.SignedIn.viewer()));
        assertEquals(200, again.status(), again.toString());
        assertEquals("store-9", again.json().get("storeId").asText());

        // a viewer limited to store-1 (where register() puts devices) sees those, and nothing of store-9
        var limited = ApiGatewayEvent.SignedIn.viewerOf("store-1", null);
        assertEquals(200, dashboardGet(limited, "/api/devices", "/api/devices", "storeId=store-1").status());
        assertEquals(200, dashboardGet(limited, "/api/devices/{deviceId}", "/api/devices/" + deviceId, "").status());
        var other = dashboardGet(limited, "/api/devices/{deviceId}", "/api/devices/" + newId, "");
        assertEquals(403, other.status(), other.toString());
        assertEquals("device " + newId + " is not in this user's stores store-1", other.json().get("detail").asText());
        assertEquals(403, dashboardGet(limited, "/api/devices", "/api/devices", "storeId=store-9").status());
        assertEquals(403, dashboardGet(limited, "/api/devices", "/api/devices", "").status(), "the fleet's registry");
    }

    private LambdaHandler.Answer dashboardGet(ApiGatewayEvent.SignedIn user, String route, String path, String query) {
        return handler.send(ApiGatewayEvent.matched("GET", route, path).query(query).jwt(user));
    }

    @Test
    void theCatchAllRoute_reachesNothing_butNotFoundOrMethodNotAllowed() {
        String deviceId = Api.uniqueDeviceId("catch-all");
        String token = register(deviceId);
        ObjectNode session = Api.newSession(5);
        String sessionId = session.get("sessionId").asText();

        List<ApiGatewayEvent> probes = new ArrayList<>();
        List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
        for (DeployedRoutes.Route route : DeployedRoutes.of(FUNCTION).routes()) {
            if (route.catchAll()) {
                continue;
            }
            String path = route.pathWith(p -> p.equals("deviceId") ? deviceId : p.equals("sessionId") ? sessionId : Api.uuid());
            for (String method : methods) {
                probes.add(ApiGatewayEvent.catchAll(method, path).bearer(token).json(session.toString()));
                probes.add(ApiGatewayEvent.catchAll(method, path).iam(ApiGatewayEvent.IamCaller.operator()));
            }
            for (String variant : List.of(path + "/", path.toUpperCase(), path.replaceFirst("/api/", "/api//"), path.replace("/api/", "/%61pi/"))) {
                probes.add(ApiGatewayEvent.catchAll(route.method(), variant).bearer(token).json(session.toString()));
                probes.add(ApiGatewayEvent.catchAll(route.method(), variant).iam(ApiGatewayEvent.IamCaller.operator()));
            }
        }
        for (String other : List.of("/", "/api", "/api/events/batch", "/api/performance", "/api/errors", "/api/daily-summary/aggregate",
                "/api/daily-summary/runs/scheduled", "/q/health", "/q/openapi", "/health", "/../api/devices")) {
            for (String method : methods) {
                probes.add(ApiGatewayEvent.catchAll(method, other).bearer(token).json("{}"));
            }
        }
        checks.catchAllReachesNothing(probes);

        // nothing was stored on the way: the session sent through $default does not exist
        var stored = handler.send(ApiGatewayEvent.matched("GET", "/api/sessions/{sessionId}", "/api/sessions/" + sessionId)
                .iam(ApiGatewayEvent.IamCaller.operator()));
        assertEquals(404, stored.status(), stored.toString());
    }

    @Test
    void anOperatorWrite_isLoggedWithTheIamCallersArn() {
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r instanceof ExtLogRecord e) {
                    e.copyAll();
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
        Logger log = Logger.getLogger("kiosk.telemetry.request");
        log.addHandler(capture);
        try {
            var answer = handler.send(ApiGatewayEvent.matched("POST", "/api/devices", "/api/devices").header("x-request-id", "iam-write-1")
                    .requestId("api-request-7")
                    .iam(ApiGatewayEvent.IamCaller.operator()).json("{\"deviceId\":\"" + Api.uniqueDeviceId("iam-log") + "\"}"));
            assertEquals(201, answer.status(), answer.toString());
        } finally {
            log.removeHandler(capture);
        }
        ExtLogRecord line = records.stream().filter(r -> "iam-write-1".equals(r.getMdc("requestId"))).findFirst().orElseThrow();
        assertEquals(ApiGatewayEvent.IamCaller.operator().userArn(), line.getMdc("operator"));
        assertEquals("api-request-7", line.getMdc("apiRequestId"), "joins the HTTP API's access log");
    }

    private String register(String deviceId) {
        var answer = handler.send(ApiGatewayEvent.matched("POST", "/api/devices", "/api/devices")
                .iam(ApiGatewayEvent.IamCaller.operator()).json("{\"deviceId\":\"" + deviceId + "\",\"storeId\":\"store-1\"}"));
        assertEquals(201, answer.status(), answer.toString());
        return answer.json().get("token").asText();
    }
}
