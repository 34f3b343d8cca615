package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.iam.EnforcedPolicy;
import kiosk.telemetry.engines.lambda.AsDeployed;
import kiosk.telemetry.engines.lambda.ApiGatewayEvent;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AWS launch path of a manual run, end to end but for Lambda itself: the API starts a run and invokes the
 * function asynchronously (received by {@link FakeLambdaService} instead of Lambda); the payload that arrived
 * is then delivered to the real handler as Lambda would deliver it, executes the run, and a redelivery (Lambda's
 * retry) does not run it twice. Operators are IAM principals, as in AWS, and every delivery runs with the
 * aggregator's IAM policy from template.yaml enforced on its DynamoDB calls.
 */
@QuarkusTest
@TestProfile(LambdaRunLauncherTest.LambdaLaunch.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class LambdaRunLauncherTest {

    static final String FUNCTION = "telemetry-aggregator-test";

    /** As deployed (IAM operators, the function's IAM policy enforceable), runs launched through Lambda. */
    public static class LambdaLaunch extends AsDeployed {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("telemetry.aggregation.launcher", "lambda");
            config.put("telemetry.aggregation.function-name", FUNCTION);
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeLambdaService.class));
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @ConfigProperty(name = "telemetry.aggregation.lambda-endpoint")
    URI lambdaEndpoint;

    @Inject
    Clock clock;

    @Test
    void aManualRun_isInvokedAsynchronously_runsWhenLambdaDeliversIt_andNotTwiceOnRedelivery() throws Exception {
        LocalDate day = LocalDate.ofInstant(clock.instant(), SEOUL).minusDays(4);
        String device = "lambda-launch-" + UUID.randomUUID().toString().substring(0, 8);
        new EventsTable(dynamo, new IndexPager(dynamo), new ReportingCalendar(SEOUL), config).putIfAbsent(new Event(
                UUID.randomUUID().toString(), 0, device, null, null, null, "tap", day.atTime(LocalTime.NOON).atZone(SEOUL).toInstant(),
                null, null, clock.instant()));

        JsonNode started = operator("POST", "/api/daily-summary/aggregate", "{\"date\":\"" + day + "\"}");
        assertEquals(202, started.get("statusCode").asInt(), started.toString());
        String runId = MAPPER.readTree(started.get("body").asText()).get("runId").asText();

        JsonNode received = received();
        assertEquals(1, received.size(), received.toString());
        JsonNode call = received.get(0);
        assertEquals("POST", call.get("method").asText());
        assertEquals("/2015-03-31/functions/" + FUNCTION + "/invocations", call.get("path").asText());
        assertEquals("Event", call.get("invocationType").asText());
        assertEquals("/api/daily-summary/runs/" + runId + "/execute", MAPPER.readTree(call.get("payload").asText()).get("rawPath").asText());

        JsonNode waiting = MAPPER.readTree(operator("GET", "/api/daily-summary/runs/" + runId, null).get("body").asText());
        assertEquals("running", waiting.get("status").asText(), "nothing runs until Lambda delivers the invocation");
        assertEquals("pending", waiting.get("days").get(0).get("status").asText());

        // Lambda may deliver an asynchronous invocation more than once, even at the same time: one execution claims the run
        String payload = call.get("payload").asText();
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<JsonNode>> both;
        try {
            both = two.invokeAll(List.of(() -> deliver(payload), () -> deliver(payload)));
        } finally {
            two.shutdown();
        }
        List<Integer> statuses = new ArrayList<>();
        JsonNode delivered = null;
        for (Future<JsonNode> f : both) {
            JsonNode answer = f.get();
            statuses.add(answer.get("statusCode").asInt());
            if (answer.get("statusCode").asInt() == 200) {
                delivered = answer;
            }
        }
        statuses.sort(null);
        assertEquals(List.of(200, 409), statuses, "one delivery executes the run, the other is refused");
        JsonNode run = MAPPER.readTree(delivered.get("body").asText());
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(day.toString(), run.get("days").get(0).get("date").asText());
        assertEquals("succeeded", run.get("days").get(0).get("status").asText());
        assertEquals(1L, run.get("days").get(0).get("records").get("events").asLong(), "the day ran once, its one event counted once");

        JsonNode summary = operator("GET", "/api/daily-summary/" + day + "/" + device, null);
        assertEquals(200, summary.get("statusCode").asInt(), summary.toString());
        assertEquals(1, MAPPER.readTree(summary.get("body").asText()).get("events").get("total").asInt());

        JsonNode again = deliver(call.get("payload").asText());
        assertEquals(409, again.get("statusCode").asInt(), again.toString());
        assertEquals(1, received().size(), "executing a run invokes nothing further");
    }

    @Test
    void theExecuteRoute_refusesAnEventWithoutAnIamPrincipal() {
        String path = "/api/daily-summary/runs/" + UUID.randomUUID() + "/execute";
        JsonNode out = deliver(ApiGatewayEvent.matched("POST", "/api/daily-summary/runs/{runId}/execute", path).json("{}").toJson());
        assertEquals(401, out.get("statusCode").asInt(), out.toString());
    }

    /** A request as API Gateway passes it on after its IAM authoriser accepted the caller. */
    private static JsonNode operator(String method, String path, String body) {
        ApiGatewayEvent event = ApiGatewayEvent.matched(method, path, path).iam(ApiGatewayEvent.IamCaller.operator());
        return deliver((body == null ? event : event.json(body)).toJson());
    }

    /** Delivers an invocation payload to the function's handler, as Lambda does, with its IAM policy enforced. */
    private static JsonNode deliver(String payload) {
        try (EnforcedPolicy.Enforcement ignored = EnforcedPolicy.enforce("AggregatorFunction")) {
            return readTree(given().contentType("application/json").body(payload).post("/_lambda_").asString());
        }
    }

    private JsonNode received() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(lambdaEndpoint.resolve("/received")).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body());
    }

    private static JsonNode readTree(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + s, e);
        }
    }
}
