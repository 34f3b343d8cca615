package kiosk.telemetry.local.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiosk.telemetry.local.StackTime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The packaged local stack started as a user starts it ({@code java -jar}, as LocalStackIT does), in memory on a
 * free port, and a small client of its API.
 */
final class StackProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;
    final String adminToken;

    private StackProcess(Process process, Path log, int port, String adminToken) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminToken = adminToken;
    }

    static StackProcess start(String adminToken, Map<String, String> env) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("dashboard-stack", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("local.stack.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TELEMETRY_PORT", Integer.toString(port));
        pb.environment().put("TELEMETRY_IN_MEMORY", "true");
        pb.environment().put("TELEMETRY_ADMIN_TOKEN", adminToken);
        pb.environment().putAll(env);
        StackProcess stack = new StackProcess(pb.start(), log, port, adminToken);
        try {
            StackTime.await(Duration.ofSeconds(90), stack::healthy, ok -> ok, ok -> "local stack did not become healthy: " + Files.readString(log));
        } catch (AssertionError e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Does the stack answer its health check? Not while it is not listening yet; an AssertionError once it exited. */
    private boolean healthy() throws Exception {
        if (!process.isAlive()) {
            throw new AssertionError("local stack exited: " + Files.readString(log));
        }
        try {
            return send("GET", "/q/health", null, null).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> send(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An operator call that must succeed (2xx); its JSON answer. */
    JsonNode admin(String method, String path, Object body) throws IOException, InterruptedException {
        return expect2xx(method, path, adminToken, body);
    }

    JsonNode kiosk(String token, String method, String path, Object body) throws IOException, InterruptedException {
        return expect2xx(method, path, token, body);
    }

    /** GET {@code path} with these query parameters (null values left out), as the operator. */
    JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return admin("GET", path + query(query), null);
    }

    static String query(Map<String, String> query) {
        Map<String, String> q = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null) {
                q.put(k, v);
            }
        });
        if (q.isEmpty()) {
            return "";
        }
        return "?" + q.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private JsonNode expect2xx(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, token, body);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
