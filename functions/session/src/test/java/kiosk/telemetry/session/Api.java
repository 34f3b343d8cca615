package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.specification.RequestSpecification;
import kiosk.telemetry.testing.TestTime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Test helpers: fixtures, fresh ids, and requests as a kiosk or as an operator. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger DEVICE_SEQ = new AtomicInteger();

    private Api() {
    }

    /** A fixture from {@code src/test/resources/fixtures}, as a mutable tree. */
    public static ObjectNode fixture(String name) {
        try (InputStream in = Api.class.getResourceAsStream("/fixtures/" + name)) {
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(JsonNode node) {
        return node.toString();
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** The application's now less {@code amount}, in milliseconds, as a kiosk sends it. */
    public static String ago(long amount, ChronoUnit unit) {
        return TestTime.application().instant().minus(amount, unit).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public static String uniqueDeviceId(String prefix) {
        return prefix + "-" + DEVICE_SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public static RequestSpecification kiosk(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** Registers a device through the API and returns its token. */
    public static String registerDevice(String deviceId, String storeId, String groupId, String countryCode) {
        ObjectNode body = MAPPER.createObjectNode().put("deviceId", deviceId);
        if (storeId != null) {
            body.put("storeId", storeId);
        }
        if (groupId != null) {
            body.put("groupId", groupId);
        }
        if (countryCode != null) {
            body.put("countryCode", countryCode);
        }
        return operator().contentType("application/json").body(body.toString())
                .when().post("/api/devices")
                .then().statusCode(201)
                .extract().path("token");
    }

    /** A valid new-session body with a fresh id, started {@code minutesAgo} minutes ago. */
    public static ObjectNode newSession(long minutesAgo) {
        return fixture("session-valid.json").put("sessionId", uuid()).put("startedAt", ago(minutesAgo, ChronoUnit.MINUTES));
    }

    public static String createSession(String token, ObjectNode body) {
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions").then().statusCode(201);
        return body.get("sessionId").asText();
    }
}
