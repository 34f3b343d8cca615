package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AWS launch path of a manual run, end to end but for Lambda itself: the API starts a run and invokes the
 * function asynchronously (received by {@link FakeLambdaService} instead of Lambda); the payload that arrived
 * is then delivered to the real handler as Lambda would deliver it, executes the run, and a redelivery (Lambda's
 * retry) does not run it twice. Operators are IAM principals, as in AWS.
 */
@QuarkusTest
@TestProfile(LambdaRunLauncherTest.LambdaLaunch.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class LambdaRunLauncherTest {

    static final String FUNCTION = "telemetry-aggregator-test";

    public static class LambdaLaunch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("telemetry.auth.operator-mode", "iam",
                    "telemetry.aggregation.launcher", "lambda",
                    "telemetry.aggregation.function-name", FUNCTION);
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

    @Test
    void aManualRun_isInvokedAsynchronously_runsWhenLambdaDeliversIt_andNotTwiceOnRedelivery() throws Exception {
        LocalDate day = LocalDate.now(SEOUL).minusDays(4);
        String device = "lambda-launch-" + UUID.randomUUID().toString().substring(0, 8);
        new EventsTable(dynamo, new IndexPager(dynamo), new ReportingCalendar(SEOUL), config).putIfAbsent(new Event(
                UUID.randomUUID().toString(), 0, device, null, null, null, "tap", day.atTime(LocalTime.NOON).atZone(SEOUL).toInstant(),
                null, null, Instant.now()));

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

        JsonNode delivered = deliver(call.get("payload").asText());
        assertEquals(200, delivered.get("statusCode").asInt(), delivered.toString());
        JsonNode run = MAPPER.readTree(delivered.get("body").asText());
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(day.toString(), run.get("days").get(0).get("date").asText());
        assertEquals("succeeded", run.get("days").get(0).get("status").asText());

        JsonNode summary = operator("GET", "/api/daily-summary/" + day + "/" + device, null);
        assertEquals(200, summary.get("statusCode").asInt(), summary.toString());
        assertEquals(1, MAPPER.readTree(summary.get("body").asText()).get("events").get("total").asInt());

        JsonNode again = deliver(call.get("payload").asText());
        assertEquals(409, again.get("statusCode").asInt(), again.toString());
        assertEquals(1, received().size(), "executing a run invokes nothing further");
    }

    @Test
    void theExecuteRoute_refusesAnEventWithoutAnIamPrincipal() {
        ObjectNode event = apiGatewayEvent("POST", "/api/daily-summary/runs/" + UUID.randomUUID() + "/execute", "{}");
        JsonNode out = post(event);
        assertEquals(401, out.get("statusCode").asInt(), out.toString());
    }

    /** A request as API Gateway passes it on after its IAM authoriser accepted the caller. */
    private static JsonNode operator(String method, String path, String body) {
        ObjectNode event = apiGatewayEvent(method, path, body);
        ((ObjectNode) event.get("requestContext")).putObject("authorizer").putObject("iam")
                .put("accessKey", "ASIAEXAMPLE").put("accountId", "000000000000").put("callerId", "AIDAEXAMPLE")
                .put("userArn", "arn:aws:iam::000000000000:user/operator").put("userId", "AIDAEXAMPLE");
        return post(event);
    }

    private static ObjectNode apiGatewayEvent(String method, String path, String body) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        if (body != null) {
            headers.put("content-type", "application/json");
            event.put("body", body).put("isBase64Encoded", false);
        }
        event.putObject("requestContext").putObject("http").put("method", method).put("path", path).put("sourceIp", "127.0.0.1");
        return event;
    }

    /** Delivers an invocation payload to the function's handler, as Lambda does. */
    private static JsonNode deliver(String payload) {
        return readTree(given().contentType("application/json").body(payload).post("/_lambda_").asString());
    }

    private static JsonNode post(ObjectNode event) {
        return deliver(event.toString());
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
