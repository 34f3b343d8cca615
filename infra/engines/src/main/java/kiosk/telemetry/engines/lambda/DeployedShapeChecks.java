package kiosk.telemetry.engines.lambda;

import kiosk.telemetry.engines.iam.EnforcedPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives a function's real Lambda handler with the events API Gateway sends for each route {@code template.yaml}
 * gives the function: with the auth the route declares (the IAM authoriser's caller on {@code AWS_IAM} routes, a
 * device token on kiosk routes) it must answer as the case expects; without it, 401 problem+json. The handler
 * enforces the function's IAM policy on its DynamoDB calls, so a call the template does not grant fails here.
 */
public final class DeployedShapeChecks {

    /** One request to a route: the concrete path and query, the JSON body or null, and the status expected. */
    public record RouteCase(String path, String query, String body, int expected) {
        public static RouteCase get(String path, String query, int expected) {
            return new RouteCase(path, query, null, expected);
        }

        public static RouteCase send(String path, String body, int expected) {
            return new RouteCase(path, "", body, expected);
        }
    }

    private final DeployedRoutes template;
    private final LambdaHandler handler;

    /** Checks of {@code functionLogicalId} through its handler, which enforces the same function's IAM policy. */
    public DeployedShapeChecks(String functionLogicalId, LambdaHandler handler) {
        if (!functionLogicalId.equals(handler.function())) {
            throw new IllegalArgumentException("the handler is " + handler.function() + "'s, not " + functionLogicalId + "'s");
        }
        this.template = DeployedRoutes.of(functionLogicalId);
        this.handler = handler;
    }

    /**
     * Sends each case, in the order given, first without the route's auth (401) and then with it. {@code cases}
     * must name every route of the function (by route key, {@code "POST /api/sessions"}), so a route added to the
     * template without a case fails here; so does a run of the cases in which no DynamoDB call was checked against
     * the policy (the check is not registered). Returns each route's answer with auth.
     */
    public Map<String, LambdaHandler.Answer> everyRoute(Map<String, RouteCase> cases, String deviceToken) {
        Map<String, DeployedRoutes.Route> routes = new LinkedHashMap<>();
        template.routes().stream().filter(r -> !r.catchAll() && !r.onDashboardApi()).forEach(r -> routes.put(r.routeKey(), r));
        assertEquals(new TreeSet<>(routes.keySet()), new TreeSet<>(cases.keySet()), "a case for every route of the template");
        Map<String, LambdaHandler.Answer> answers = new LinkedHashMap<>();
        try (EnforcedPolicy.Enforcement enforcement = EnforcedPolicy.enforce(handler.function())) {
            cases.forEach((key, c) -> answers.put(key, answer(routes.get(key), key, c, deviceToken)));
            assertTrue(enforcement.checkedCalls() > 0, "no DynamoDB call of " + handler.function() + " was checked against its policy:"
                    + " is " + EnforcedPolicy.class.getName() + " in quarkus.dynamodb.interceptors (AsDeployed)?");
        }
        return answers;
    }

    private LambdaHandler.Answer answer(DeployedRoutes.Route route, String key, RouteCase c, String deviceToken) {
        LambdaHandler.Answer anonymous = handler.send(event(route, c));
        assertEquals(401, anonymous.status(), key + " without " + (route.iam() ? "IAM" : "a device token") + ": " + anonymous);
        assertProblem(anonymous, key);
        ApiGatewayEvent authorised = event(route, c);
        if (route.iam()) {
            authorised.iam(ApiGatewayEvent.IamCaller.operator());
        } else {
            authorised.bearer(deviceToken);
        }
        LambdaHandler.Answer answer = handler.send(authorised);
        if (answer.status() != c.expected()) {
            fail(key + " with " + (route.iam() ? "IAM" : "a device token") + ": expected " + c.expected() + ", got " + answer);
        }
        return answer;
    }

    /**
     * The function's routes on the dashboard API, each as API Gateway delivers it once the JWT authoriser accepted
     * the token: without claims (no authoriser context) 401; with an access token's claims 401 (only the ID token
     * carries the user's reach); a viewer's ID token 403 on every route that is not a GET (sent first, so nothing
     * changed before the operator's request); an operator's ID token as the case expects. {@code cases} must name
     * every dashboard route of the function. Returns the operator's answers.
     */
    public Map<String, LambdaHandler.Answer> everyDashboardRoute(Map<String, RouteCase> cases) {
        Map<String, DeployedRoutes.Route> routes = new LinkedHashMap<>();
        template.routes().stream().filter(DeployedRoutes.Route::onDashboardApi).forEach(r -> routes.put(r.routeKey(), r));
        assertEquals(new TreeSet<>(routes.keySet()), new TreeSet<>(cases.keySet()), "a case for every dashboard route of the template");
        Map<String, LambdaHandler.Answer> answers = new LinkedHashMap<>();
        cases.forEach((key, c) -> {
            DeployedRoutes.Route route = routes.get(key);
            assertEquals(DeployedRoutes.DASHBOARD_AUTHORIZER, route.authorizer(), key + " on the dashboard API takes the JWT authoriser");
            LambdaHandler.Answer anonymous = handler.send(event(route, c));
            assertEquals(401, anonymous.status(), key + " without an authorised user: " + anonymous);
            assertProblem(anonymous, key);
            LambdaHandler.Answer access = handler.send(event(route, c).jwt(ApiGatewayEvent.SignedIn.operator().withTokenUse("access")));
            assertEquals(401, access.status(), key + " with an access token: " + access);
            assertProblem(access, key);
            if (!route.method().equals("GET")) {
                LambdaHandler.Answer viewer = handler.send(event(route, c).jwt(ApiGatewayEvent.SignedIn.viewer()));
                assertEquals(403, viewer.status(), key + " as a viewer: " + viewer);
                assertProblem(viewer, key);
            }
            LambdaHandler.Answer answer = handler.send(event(route, c).jwt(ApiGatewayEvent.SignedIn.operator()));
            if (answer.status() != c.expected()) {
                fail(key + " as a signed-in operator: expected " + c.expected() + ", got " + answer);
            }
            answers.put(key, answer);
        });
        return answers;
    }

    /**
     * Requests that reach the function through API Gateway's {@code $default} route (no authoriser): whatever
     * their method, path and headers, each is answered 404 or 405 problem+json.
     */
    public void catchAllReachesNothing(List<ApiGatewayEvent> probes) {
        for (ApiGatewayEvent probe : probes) {
            LambdaHandler.Answer a = handler.send(probe);
            assertTrue(a.status() == 404 || a.status() == 405, "through $default: " + probe.describe() + " answered " + a);
            if (probe.method().equals("HEAD")) {
                assertTrue(a.body().isEmpty(), "HEAD answers without a body: " + a);
            } else {
                assertProblem(a, probe.describe());
            }
        }
    }

    /** The event API Gateway sends for this case on this route (no auth yet). */
    public static ApiGatewayEvent event(DeployedRoutes.Route route, RouteCase c) {
        ApiGatewayEvent e = ApiGatewayEvent.matched(route.method(), route.path(), c.path()).query(c.query());
        return c.body() == null ? e : e.json(c.body());
    }

    private static void assertProblem(LambdaHandler.Answer a, String what) {
        String type = a.header("content-type");
        assertTrue(type != null && type.startsWith("application/problem+json"), what + ": problem+json, got " + type);
        assertEquals(a.status(), a.json().path("status").asInt(), what + ": the problem's status");
    }
}
