package kiosk.telemetry.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the packaged local stack as a user does (java -jar), uses it over HTTP, stops it, starts it again on
 * the same data directory and finds everything still there.
 */
class LocalStackIT {

    private static final String ADMIN = "it-admin-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void restart_keepsDevicesTokensAndSessions() throws Exception {
        int port = freePort();
        start(port, Map.of("TELEMETRY_DATA_DIR", dataDir.toString(), "TELEMETRY_ADMIN_TOKEN", ADMIN));

        // GIVEN a registered device and a session it opened
        var reg = send(port, "POST", "/api/devices", ADMIN, "{\"deviceId\":\"kiosk-it-1\",\"storeId\":\"store-1\"}");
        assertEquals(201, reg.statusCode(), reg.body());
        String token = field(reg.body(), "token");
        String sessionId = UUID.randomUUID().toString();
        String startedAt = StackTime.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString();
        var created = send(port, "POST", "/api/sessions", token, "{\"sessionId\":\"" + sessionId + "\",\"startedAt\":\"" + startedAt + "\"}");
        assertEquals(201, created.statusCode(), created.body());

        // WHEN the stack stops and starts again on the same data directory
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the stack exits on SIGTERM, no thread left hanging");
        start(port, Map.of("TELEMETRY_DATA_DIR", dataDir.toString(), "TELEMETRY_ADMIN_TOKEN", ADMIN));

        // THEN the session is there, and the device token still works (same id: a duplicate)
        var read = send(port, "GET", "/api/sessions/" + sessionId, ADMIN, null);
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("\"deviceId\":\"kiosk-it-1\""), read.body());
        var again = send(port, "POST", "/api/sessions", token, "{\"sessionId\":\"" + sessionId + "\",\"startedAt\":\"" + startedAt + "\"}");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(Files.exists(dataDir.resolve("dynamodb.snapshot")), "DynamoDB runs in memory and is saved as a snapshot");
    }

    @Test
    void killedWithoutWarning_keepsWhatThePeriodicSnapshotHeld() throws Exception {
        int port = freePort();
        Map<String, String> env = Map.of("TELEMETRY_DATA_DIR", dataDir.toString(), "TELEMETRY_ADMIN_TOKEN", ADMIN,
                "TELEMETRY_SNAPSHOT_EVERY", "PT1S");
        Path log = start(port, env);

        // GIVEN a registered device, and a periodic snapshot taken after it
        var reg = send(port, "POST", "/api/devices", ADMIN, "{\"deviceId\":\"kiosk-it-kill\",\"storeId\":\"store-1\"}");
        assertEquals(201, reg.statusCode(), reg.body());
        long after = Files.size(log);
        StackTime.await(Duration.ofSeconds(30), () -> Files.readString(log).substring((int) after),
                written -> written.contains("DynamoDB snapshot saved"), written -> "no snapshot within 30 s of a write: " + Files.readString(log));

        // WHEN the process is killed (SIGKILL: no shutdown, no final save) and started again
        process.destroyForcibly();
        process.waitFor();
        start(port, env);

        // THEN the device and its token are there
        var read = send(port, "GET", "/api/devices/kiosk-it-kill", ADMIN, null);
        assertEquals(200, read.statusCode(), read.body());
        String token = field(reg.body(), "token");
        String startedAt = StackTime.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString();
        var created = send(port, "POST", "/api/sessions", token, "{\"sessionId\":\"" + UUID.randomUUID() + "\",\"startedAt\":\"" + startedAt + "\"}");
        assertEquals(201, created.statusCode(), created.body());
    }

    @Test
    void inMemory_generatesAndPrintsAnOperatorToken_andServesHealthAndOpenApi() throws Exception {
        int port = freePort();
        Path log = start(port, Map.of("TELEMETRY_IN_MEMORY", "true"));
        Matcher m = Pattern.compile("generated operator token for this run: (\\S+)").matcher(Files.readString(log));
        assertTrue(m.find(), "the generated token is printed");
        var devices = send(port, "GET", "/api/devices", m.group(1), null);
        assertEquals(200, devices.statusCode());
        assertTrue(devices.headers().firstValue("Date").isPresent(), "a Date header, as API Gateway sends: the SDKs read the server's clock from it");
        assertTrue(send(port, "GET", "/api/devices", "wrong", null).headers().firstValue("Date").isPresent(), "on refusals too");

        // the event-batch function is served by the same process
        var reg = send(port, "POST", "/api/devices", m.group(1), "{\"deviceId\":\"kiosk-it-ev\"}");
        String token = field(reg.body(), "token");
        String batch = "{\"events\":[{\"sessionId\":\"" + UUID.randomUUID() + "\",\"sequenceNo\":0,\"eventType\":\"tap\",\"timestamp\":\""
                + StackTime.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS) + "\"}]}";
        var first = send(port, "POST", "/api/events/batch", token, batch);
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("\"accepted\":1"), first.body());
        assertTrue(send(port, "POST", "/api/events/batch", token, batch).body().contains("\"duplicates\":1"));
        assertEquals(401, send(port, "GET", "/api/devices", null, null).statusCode());
        assertEquals(200, send(port, "GET", "/health", null, null).statusCode());
        var openapi = send(port, "GET", "/q/openapi", null, null);
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/api/sessions/{sessionId}"), "OpenAPI lists the routes");
    }

    private Path start(int port, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("local-stack", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("local.stack.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TELEMETRY_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        process = pb.start();
        StackTime.await(Duration.ofSeconds(90), () -> healthy(port, log), ok -> ok,
                ok -> "local stack did not become healthy: " + Files.readString(log));
        return log;
    }

    /** Does the stack answer its health check? Not while it is not listening yet; an AssertionError once it exited. */
    private boolean healthy(int port, Path log) throws Exception {
        if (!process.isAlive()) {
            throw new AssertionError("local stack exited: " + Files.readString(log));
        }
        try {
            return send(port, "GET", "/q/health", null, null).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
