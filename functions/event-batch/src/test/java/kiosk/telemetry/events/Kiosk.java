package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.builder.ResponseBuilder;
import io.restassured.response.Response;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test helpers for the event-batch function: devices, event bodies from the fixture, requests. */
final class Kiosk {

    static final String ADMIN = "test-admin-token";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Kiosk() {
    }

    /** Registers a device in the registry (a fixture here: registration is the session function's route). */
    static String register(DevicesTable devices, String deviceId) {
        return Registry.register(devices, deviceId, "store-ev", null, "KR", TestTime.application().instant());
    }

    static String newDeviceId() {
        return "ev-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static ObjectNode event(String sessionId, long seq, Instant at) {
        try (InputStream in = Kiosk.class.getResourceAsStream("/fixtures/event-tap.json")) {
            ObjectNode e = (ObjectNode) MAPPER.readTree(in);
            return e.put("sessionId", sessionId).put("sequenceNo", seq).put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code count} events from number {@code from} on, 10 minutes before the application's now, 10 ms apart. */
    static List<ObjectNode> events(String sessionId, int from, int count) {
        Instant base = TestTime.application().instant().minus(10, ChronoUnit.MINUTES);
        List<ObjectNode> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(event(sessionId, i, base.plusMillis(i * 10L)));
        }
        return out;
    }

    static String batch(List<ObjectNode> items) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("events");
        items.forEach(arr::add);
        return body.toString();
    }

    static Response post(String token, String body) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json").body(body).post("/api/events/batch");
    }

    /**
     * An operator GET through the real Lambda handler, sent as a raw API Gateway v2 event. Large responses do not
     * pass the mock event server's HTTP front in tests (quarkusio/quarkus#44551: it stalls above ~8 KB); the raw
     * invocation path returns the handler's response as it would reach API Gateway.
     */
    static Response operatorGet(String url) {
        int q = url.indexOf('?');
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0")
                .put("rawPath", q < 0 ? url : url.substring(0, q)).put("rawQueryString", q < 0 ? "" : url.substring(q + 1));
        event.putObject("headers").put("authorization", "Bearer " + ADMIN);
        event.putObject("requestContext").putObject("http").put("method", "GET").put("path", q < 0 ? url : url.substring(0, q));
        Response raw = given().contentType("application/json").body(event.toString()).post("/_lambda_");
        int status = raw.jsonPath().getInt("statusCode");
        String body = raw.jsonPath().getString("body");
        return new io.restassured.builder.ResponseBuilder().setStatusCode(status).setBody(body)
                .setContentType("application/json").build();
    }

    /** A kiosk POST through the real Lambda handler with its body as bytes, base64-encoded in the API Gateway v2 event. */
    static Response rawPost(String path, String token, byte[] body) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0").put("routeKey", "POST " + path).put("rawPath", path).put("rawQueryString", "")
                .put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        event.putObject("headers").put("authorization", "Bearer " + token).put("content-type", "application/json")
                .put("content-length", Integer.toString(body.length));
        event.putObject("requestContext").putObject("http").put("method", "POST").put("path", path);
        Response raw = given().contentType("application/json").body(event.toString()).post("/_lambda_");
        return new ResponseBuilder().setStatusCode(raw.jsonPath().getInt("statusCode"))
                .setBody(raw.jsonPath().getString("body")).setContentType("application/json").build();
    }

    /** Every event of a session, following nextCursor. */
    static List<Integer> sequenceNumbers(String sessionId) {
        List<Integer> seqs = new ArrayList<>();
        String cursor = null;
        do {
            Response r = operatorGet("/api/events/session/" + sessionId + "?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            r.then().statusCode(200);
            seqs.addAll(r.jsonPath().getList("items.sequenceNo", Integer.class));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        return seqs;
    }
}
