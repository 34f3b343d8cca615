package kiosk.telemetry.engines.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import kiosk.telemetry.engines.iam.EnforcedPolicy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A function's real Lambda handler, reached the way Lambda reaches it: a raw invocation payload in, the
 * handler's raw answer out. In a {@code @QuarkusTest} of a Lambda module that is a POST of the payload to the
 * mock event server's {@code /_lambda_} endpoint, which the handler's runtime loop polls. Each invocation runs
 * with the function's IAM policy from {@code template.yaml} enforced on its DynamoDB calls ({@link EnforcedPolicy}).
 */
public final class LambdaHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the HTTP adapter answered to an API Gateway event. */
    public record Answer(int status, JsonNode headers, String body) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            if (headers == null) {
                return null;
            }
            for (var it = headers.fields(); it.hasNext(); ) {
                var h = it.next();
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().asText();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final String function;
    private final UnaryOperator<String> invoke;

    /**
     * The handler of {@code functionLogicalId} (its logical id in template.yaml, whose policy is enforced);
     * {@code invoke} delivers one payload to the handler and returns what it answered.
     */
    public LambdaHandler(String functionLogicalId, UnaryOperator<String> invoke) {
        this.function = functionLogicalId;
        this.invoke = invoke;
    }

    /** The handler of the function under {@code @QuarkusTest}, reached through the mock event server. */
    public static LambdaHandler underTest(String functionLogicalId) {
        return new LambdaHandler(functionLogicalId,
                payload -> RestAssured.given().contentType("application/json").body(payload).post("/_lambda_").asString());
    }

    /** The function's logical id in template.yaml. */
    public String function() {
        return function;
    }

    /**
     * Runs {@code work} with the function's policy enforced throughout, for waiting on work an invocation started
     * and left running after it answered (the aggregator's runs): its calls between invocations are checked too.
     * {@code work} must not seed or read tables itself, or its calls are checked as the function's.
     */
    public <T> T enforcing(Supplier<T> work) {
        try (EnforcedPolicy.Enforcement ignored = EnforcedPolicy.enforce(function)) {
            return work.get();
        }
    }

    public Answer send(ApiGatewayEvent event) {
        return deliver(event.toJson());
    }

    /** Delivers a payload exactly as given (a Scheduler {@code Input}, an asynchronous invocation). */
    public Answer deliver(String payload) {
        String raw = enforcing(() -> invoke.apply(payload));
        try {
            JsonNode out = MAPPER.readTree(raw);
            String body = out.path("body").isMissingNode() || out.path("body").isNull() ? "" : out.get("body").asText();
            if (out.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new Answer(out.path("statusCode").asInt(), out.get("headers"), body);
        } catch (Exception e) {
            throw new AssertionError("the handler's answer is not an API Gateway response: " + raw, e);
        }
    }
}
