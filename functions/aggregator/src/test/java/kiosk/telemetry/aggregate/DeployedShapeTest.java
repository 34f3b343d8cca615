package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.lambda.ApiGatewayEvent;
import kiosk.telemetry.engines.lambda.DeployedRoutes;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks;
import kiosk.telemetry.engines.lambda.DeployedShapeChecks.RouteCase;
import kiosk.telemetry.engines.lambda.LambdaHandler;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.testing.Poll;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aggregator as AWS runs it: its real Lambda handler, in the operator mode it defaults to (IAM), fed the API
 * Gateway v2 event of every route the template gives it and each EventBridge Scheduler {@code Input} read
 * verbatim from template.yaml.
 */
@QuarkusTest
@TestProfile(DeployedShapeTest.AsDeployedWithMetrics.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DeployedShapeTest {

    /** As deployed, with the function's metric lines captured. */
    public static class AsDeployedWithMetrics extends AsDeployed {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(CapturedMetrics.class);
        }
    }

    private static final String FUNCTION = "AggregatorFunction";

    @Inject
    DynamoDbClient dynamo;

    @Inject
    S3Client s3;

    @Inject
    DevicesTable devices;

    @Inject
    TelemetryConfig config;

    @Inject
    ReportingCalendar calendar;

    @Inject
    Clock clock;

    private final LambdaHandler handler = LambdaHandler.underTest(FUNCTION);

    @Test
    void everyRoute_answersWithIam_and401WithoutIt() {
        LocalDate day = calendar.dayOf(clock.instant()).minusDays(6);
        String device = seedEvent(day);
        String runId = aggregated(day);

        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("POST /api/daily-summary/aggregate", RouteCase.send("/api/daily-summary/aggregate", "{\"date\":\"" + day + "\"}", 202));
        cases.put("GET /api/daily-summary/runs", RouteCase.get("/api/daily-summary/runs", "limit=1", 200));
        cases.put("GET /api/daily-summary/runs/{runId}", RouteCase.get("/api/daily-summary/runs/" + runId, "", 200));
        cases.put("GET /api/daily-summary", RouteCase.get("/api/daily-summary", "date=" + day + "&limit=500", 200));
        cases.put("GET /api/daily-summary/{date}/{deviceId}", RouteCase.get("/api/daily-summary/" + day + "/" + device, "", 200));
        cases.put("GET /api/daily-summary/rollups/{date}", RouteCase.get("/api/daily-summary/rollups/" + day, "", 200));
        String range = "from=" + day + "&to=" + day;
        cases.put("GET /api/insights/overview", RouteCase.get("/api/insights/overview", range, 200));
        cases.put("GET /api/insights/hourly", RouteCase.get("/api/insights/hourly", range, 200));
        cases.put("GET /api/insights/experiments", RouteCase.get("/api/insights/experiments", range, 200));
        cases.put("GET /api/insights/timeseries", RouteCase.get("/api/insights/timeseries", range + "&metric=sessions", 200));
        cases.put("GET /api/insights/today", RouteCase.get("/api/insights/today", "", 200));
        cases.put("GET /api/insights/breakdown", RouteCase.get("/api/insights/breakdown", range + "&by=store&metric=sessions&limit=1", 200));
        cases.put("GET /api/me", RouteCase.get("/api/me", "", 200));
        var answers = untilFinished(() -> new DeployedShapeChecks(FUNCTION, handler).everyRoute(cases, null),
                a -> a.get("POST /api/daily-summary/aggregate").json().get("runId").asText());
        assertEquals("{\"principal\":\"" + ApiGatewayEvent.IamCaller.operator().userArn() + "\",\"role\":\"operator\",\"stores\":[],\"groups\":[]}",
                answers.get("GET /api/me").json().toString(), "automation is an operator with the whole fleet in reach");
        assertEquals("succeeded", answers.get("GET /api/daily-summary/runs/{runId}").json().get("status").asText());
        assertEquals(1, answers.get("GET /api/daily-summary/{date}/{deviceId}").json().get("events").get("total").asInt());
        var fleet = answers.get("GET /api/daily-summary/rollups/{date}").json();
        assertEquals("{}", fleet.get("scope").toString());
        assertTrue(fleet.at("/events/total").asLong() >= 1, fleet.toString());
        assertEquals(day.toString(), answers.get("GET /api/insights/timeseries").json().at("/points/0/start").asText());
        var stores = answers.get("GET /api/insights/breakdown").json();
        assertEquals(1, stores.get("items").size(), stores.toString());
        assertTrue(answers.get("GET /api/insights/today").json().has("asOf"), answers.get("GET /api/insights/today").toString());
        var overview = answers.get("GET /api/insights/overview").json();
        assertEquals(1, overview.at("/devices/reporting").asLong(), overview.toString());
        assertTrue(overview.at("/devices/registered").isNumber(), "the overview counts registered devices: " + overview);
    }

    @Test
    void everyDashboardRoute_takesASignedInUsersIdToken_viewersRead_operatorsAlsoAct() {
        LocalDate day = calendar.dayOf(clock.instant()).minusDays(5);
        String device = seedEvent(day);
        String runId = aggregated(day);

        String range = "from=" + day + "&to=" + day;
        Map<String, RouteCase> cases = new LinkedHashMap<>();
        cases.put("GET /api/me", RouteCase.get("/api/me", "", 200));
        cases.put("GET /api/insights/overview", RouteCase.get("/api/insights/overview", range, 200));
        cases.put("GET /api/insights/hourly", RouteCase.get("/api/insights/hourly", range, 200));
        cases.put("GET /api/insights/experiments", RouteCase.get("/api/insights/experiments", range, 200));
        cases.put("GET /api/insights/timeseries", RouteCase.get("/api/insights/timeseries", range + "&metric=sessions", 200));
        cases.put("GET /api/insights/today", RouteCase.get("/api/insights/today", "", 200));
        cases.put("GET /api/insights/breakdown", RouteCase.get("/api/insights/breakdown", range + "&by=store&metric=sessions", 200));
        cases.put("GET /api/daily-summary", RouteCase.get("/api/daily-summary", "deviceId=" + device + "&" + range, 200));
        cases.put("POST /api/daily-summary/aggregate", RouteCase.send("/api/daily-summary/aggregate", "{\"date\":\"" + day + "\"}", 202));
        cases.put("GET /api/daily-summary/runs/{runId}", RouteCase.get("/api/daily-summary/runs/" + runId, "", 200));
        var answers = untilFinished(() -> new DeployedShapeChecks(FUNCTION, handler).everyDashboardRoute(cases),
                a -> a.get("POST /api/daily-summary/aggregate").json().get("runId").asText());

        assertEquals("{\"principal\":\"ops@example.com\",\"role\":\"operator\",\"stores\":[],\"groups\":[]}",
                answers.get("GET /api/me").json().toString());
        assertEquals(1, answers.get("GET /api/daily-summary").json().get("items").size());
        assertEquals("manual", answers.get("GET /api/daily-summary/runs/{runId}").json().get("trigger").asText());
        var viewer = dashboard(ApiGatewayEvent.SignedIn.viewer(), "/api/insights/overview", range);
        assertEquals(200, viewer.status(), viewer.toString());
        assertEquals(answers.get("GET /api/insights/overview").json(), viewer.json(), "a viewer reads the same figures");
    }

    @Test
    void aStoreLimitedViewer_readsItsStoresAndGroups_andIsRefusedEverythingElse() {
        LocalDate day = calendar.dayOf(clock.instant()).minusDays(4);
        String range = "from=" + day + "&to=" + day;
        String own = registered("store-own", "group-own");
        String other = registered("store-other", "group-other");
        var limited = ApiGatewayEvent.SignedIn.viewerOf("store-own,store-two", "group-own");

        var me = dashboard(limited, "/api/me", "");
        assertEquals("{\"principal\":\"store-viewer@example.com\",\"role\":\"viewer\",\"stores\":[\"store-own\",\"store-two\"],"
                + "\"groups\":[\"group-own\"]}", me.json().toString());
        for (String allowed : List.of("storeId=store-own", "storeId=store-two", "groupId=group-own")) {
            for (String route : List.of("overview", "hourly", "experiments", "today")) {
                String q = route.equals("today") ? allowed : range + "&" + allowed;
                var a = dashboard(limited, "/api/insights/" + route, q);
                assertEquals(200, a.status(), route + "?" + q + ": " + a);
            }
        }
        assertEquals(200, dashboard(limited, "/api/insights/timeseries", range + "&metric=sessions&storeId=store-own").status());
        assertEquals(200, dashboard(limited, "/api/insights/breakdown", range + "&by=device&metric=sessions&storeId=store-own").status());
        assertEquals(200, dashboard(limited, "/api/daily-summary", range + "&deviceId=" + own).status());
        assertEquals(200, dashboard(limited, "/api/daily-summary", range + "&groupId=group-own").status());

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("/api/insights/overview?" + range, "fleet-wide figures are not available to a user limited to stores store-own, store-two and groups group-own: give storeId or groupId");
        refused.put("/api/insights/overview?" + range + "&storeId=store-other", "store store-other is not among this user's stores store-own, store-two and groups group-own");
        refused.put("/api/insights/hourly?" + range + "&groupId=group-other", "group group-other is not among this user's stores store-own, store-two and groups group-own");
        refused.put("/api/insights/overview?" + range + "&countryCode=KR", "country-wide figures are not available to a user limited to stores store-own, store-two and groups group-own: give storeId or groupId");
        refused.put("/api/insights/today", "fleet-wide figures are not available to a user limited to stores store-own, store-two and groups group-own: give storeId or groupId");
        refused.put("/api/insights/breakdown?" + range + "&by=store&metric=sessions", "fleet-wide figures are not available to a user limited to stores store-own, store-two and groups group-own: give storeId or groupId");
        refused.put("/api/daily-summary?" + range + "&deviceId=" + other, "device " + other + " is not in this user's stores store-own, store-two and groups group-own");
        refused.put("/api/daily-summary?" + range + "&deviceId=never-registered", "device never-registered is not in this user's stores store-own, store-two and groups group-own");
        refused.put("/api/daily-summary/runs/some-run", "this route is not available to a user limited to stores store-own, store-two and groups group-own");
        refused.forEach((url, detail) -> {
            int q = url.indexOf('?');
            var a = dashboard(limited, q < 0 ? url : url.substring(0, q), q < 0 ? "" : url.substring(q + 1));
            assertEquals(403, a.status(), url + ": " + a);
            assertEquals(detail, a.json().get("detail").asText(), url);
        });

        // a device in reach now, whose summaries of earlier days put it in a store out of reach (as after a move)
        LocalDate before = day.minusDays(1);
        new DailySummariesTable(dynamo, config.tables().dailySummaries(), config.shards().summaries()).putBatch(List.of(
                storedSummary(before, own, "store-other", "group-other"), storedSummary(day, own, "store-own", "group-own")));
        var history = dashboard(limited, "/api/daily-summary", "from=" + before + "&to=" + day + "&deviceId=" + own);
        assertEquals(200, history.status(), history.toString());
        assertEquals(List.of(day.toString()), history.json().findValuesAsText("date"), "only the days it spent in reach: " + history);
        var operatorSees = handler.send(ApiGatewayEvent.matched("GET", "/api/daily-summary", "/api/daily-summary")
                .query("from=" + before + "&to=" + day + "&deviceId=" + own).iam(ApiGatewayEvent.IamCaller.operator()));
        assertEquals(2, operatorSees.json().get("items").size(), "an unlimited caller sees both days");
        var mixed = dashboard(limited, "/api/daily-summary", "from=" + before + "&to=" + day + "&deviceId=" + own + "&storeId=store-other");
        assertEquals(403, mixed.status(), "a device in reach does not open a store out of reach: " + mixed);

        var user = dashboard(new ApiGatewayEvent.SignedIn("nobody@example.com", List.of(), null, null, "id"), "/api/me", "");
        assertEquals(403, user.status(), "a user in neither group: " + user);
        var access = dashboard(limited.withTokenUse("access"), "/api/me", "");
        assertEquals(401, access.status(), "an access token has no custom attributes, so it could read as unlimited: " + access);
    }

    @Test
    void theNightlyScheduleInput_fromTheTemplate_aggregatesAndArchivesTheDayThatEnded() {
        LocalDate yesterday = calendar.dayOf(clock.instant()).minusDays(1);
        String device = seedEvent(yesterday);

        LambdaHandler.Answer started = untilFinished(() -> handler.deliver(DeployedRoutes.of(FUNCTION).scheduleInputs().get("Nightly")),
                DeployedShapeTest::runId);
        assertTrue(started.json().get("dates").toString().contains(yesterday.toString()), started.toString());
        var run = awaitFinished(started.json().get("runId").asText());
        assertEquals("schedule", run.get("trigger").asText());
        assertEquals("succeeded", run.get("status").asText(), run.toString());

        var summary = operator("GET", "/api/daily-summary/{date}/{deviceId}", "/api/daily-summary/" + yesterday + "/" + device, "");
        assertEquals(200, summary.status(), summary.toString());
        assertEquals(1, summary.json().get("events").get("total").asInt());
        List<String> archived = s3.listObjectsV2Paginator(b -> b.bucket(config.archive().bucket()).prefix("events/dt=" + yesterday + "/"))
                .contents().stream().map(S3Object::key).toList();
        assertFalse(archived.isEmpty(), "the day's events are archived");
    }

    @Test
    void theNightlyCheckInput_fromTheTemplate_emitsItsMetric() {
        int before = CapturedMetrics.LINES.size();
        LambdaHandler.Answer checked = handler.deliver(DeployedRoutes.of(FUNCTION).scheduleInputs().get("NightlyCheck"));
        assertEquals(200, checked.status(), checked.toString());
        assertEquals(calendar.dayOf(clock.instant()).minusDays(1).toString(), checked.json().get("date").asText());
        assertTrue(CapturedMetrics.LINES.subList(before, CapturedMetrics.LINES.size()).stream()
                .anyMatch(l -> l.contains("\"NightlyRunMissing\"")), "NightlyRunMissing was emitted");
    }

    @Test
    void theUnpublishedRoutes_refuseAnEventWithoutAnIamCaller() {
        for (String input : DeployedRoutes.of(FUNCTION).scheduleInputs().values()) {
            String withoutCaller = input.replaceAll("\"authorizer\":\\{\"iam\":\\{[^}]*}}", "\"authorizer\":{}");
            assertFalse(withoutCaller.equals(input));
            assertEquals(401, handler.deliver(withoutCaller).status());
        }
    }

    private String seedEvent(LocalDate day) {
        String device = "deployed-" + UUID.randomUUID().toString().substring(0, 8);
        new EventsTable(dynamo, new IndexPager(dynamo), calendar, config).putIfAbsent(new Event(UUID.randomUUID().toString(), 0, device,
                null, null, null, "tap", day.atTime(LocalTime.NOON).atZone(config.reportingZone()).toInstant(), null, null, clock.instant()));
        return device;
    }

    /** A GET through the dashboard API: the route key is the path's, no path parameters in these. */
    private LambdaHandler.Answer dashboard(ApiGatewayEvent.SignedIn user, String path, String query) {
        String route = path.startsWith("/api/daily-summary/runs/") ? "/api/daily-summary/runs/{runId}" : path;
        return handler.send(ApiGatewayEvent.matched("GET", route, path).query(query).jwt(user));
    }

    private static ObjectNode storedSummary(LocalDate day, String device, String store, String group) {
        return (ObjectNode) Json.readStored("{\"date\":\"" + day + "\",\"deviceId\":\"" + device + "\",\"storeId\":\"" + store
                + "\",\"groupId\":\"" + group + "\",\"countryCode\":\"KR\",\"sessions\":{\"total\":1,\"byStatus\":{\"completed\":1},"
                + "\"durationMsSum\":0,\"ended\":1},\"sales\":{\"count\":0,\"byCurrency\":{},\"byPaymentMethod\":{}}}");
    }

    private String registered(String store, String group) {
        String id = "scoped-" + UUID.randomUUID().toString().substring(0, 8);
        Registry.register(devices, id, store, group, "KR", clock.instant());
        return id;
    }

    /** The day aggregated by a manual run an IAM operator started; the run's id, once it finished. */
    private String aggregated(LocalDate day) {
        return runId(untilFinished(() -> handler.send(ApiGatewayEvent.matched("POST", "/api/daily-summary/aggregate", "/api/daily-summary/aggregate")
                .iam(ApiGatewayEvent.IamCaller.operator()).json("{\"date\":\"" + day + "\"}")), DeployedShapeTest::runId));
    }

    /** The run a 202 answer started. */
    private static String runId(LambdaHandler.Answer started) {
        assertEquals(202, started.status(), started.toString());
        return started.json().get("runId").asText();
    }

    /**
     * What {@code start} returned, once the run it started ({@code runId} of it) finished. The run executes on the
     * function's own thread after the invocation that started it answered, so the function's IAM policy is enforced
     * from the start to the run's end.
     */
    private <T> T untilFinished(Supplier<T> start, Function<T, String> runId) {
        return handler.enforcing(() -> {
            T started = start.get();
            awaitFinished(runId.apply(started));
            return started;
        });
    }

    private LambdaHandler.Answer operator(String method, String route, String path, String query) {
        return handler.send(ApiGatewayEvent.matched(method, route, path).query(query).iam(ApiGatewayEvent.IamCaller.operator()));
    }

    /** The run once it finished, waited for with the function's IAM policy enforced. */
    private JsonNode awaitFinished(String runId) {
        return handler.enforcing(() -> Poll.until(Duration.ofSeconds(30), "run " + runId + " finished", () -> {
            var run = operator("GET", "/api/daily-summary/runs/{runId}", "/api/daily-summary/runs/" + runId, "");
            assertEquals(200, run.status(), run.toString());
            return run.json();
        }, run -> !"running".equals(run.get("status").asText())));
    }
}
