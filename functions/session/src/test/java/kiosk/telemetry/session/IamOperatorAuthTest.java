package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AWS set-up: operator routes are IAM-authorised by API Gateway, whose principal reaches the function in
 * the event's request context. Raw API Gateway v2 events go through the real handler via the mock event server.
 */
@QuarkusTest
@TestProfile(IamOperatorAuthTest.IamMode.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class IamOperatorAuthTest {

    public static class IamMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("telemetry.auth.operator-mode", "iam");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode invoke(String method, String path, boolean iam, String bearer, String body) throws Exception {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer);
        }
        if (body != null) {
            headers.put("content-type", "application/json");
            event.put("body", body).put("isBase64Encoded", false);
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.putObject("http").put("method", method).put("path", path).put("sourceIp", "127.0.0.1");
        if (iam) {
            ctx.putObject("authorizer").putObject("iam")
                    .put("accessKey", "ASIAEXAMPLE").put("accountId", "000000000000").put("callerId", "AIDAEXAMPLE")
                    .put("userArn", "arn:aws:iam::000000000000:user/operator").put("userId", "AIDAEXAMPLE");
        }
        String out = given().contentType("application/json").body(event.toString()).post("/_lambda_").asString();
        return MAPPER.readTree(out);
    }

    @Test
    void operatorRoute_withApiGatewaysIamPrincipal_isAllowed_withoutIt_is401_evenWithTheOldAdminToken() throws Exception {
        assertEquals(200, invoke("GET", "/api/devices", true, null, null).get("statusCode").asInt());
        assertEquals(401, invoke("GET", "/api/devices", false, null, null).get("statusCode").asInt());
        assertEquals(401, invoke("GET", "/api/devices", false, Api.ADMIN_TOKEN, null).get("statusCode").asInt());
    }

    @Test
    void kioskRoutes_stillUseDeviceTokens() throws Exception {
        String deviceId = Api.uniqueDeviceId("iam");
        JsonNode reg = invoke("POST", "/api/devices", true, null, "{\"deviceId\":\"" + deviceId + "\"}");
        assertEquals(201, reg.get("statusCode").asInt(), reg.toString());
        String token = MAPPER.readTree(reg.get("body").asText()).get("token").asText();

        String session = Api.newSession(1).toString();
        assertEquals(201, invoke("POST", "/api/sessions", false, token, session).get("statusCode").asInt());
        assertEquals(401, invoke("POST", "/api/sessions", false, null, session).get("statusCode").asInt());
    }
}
