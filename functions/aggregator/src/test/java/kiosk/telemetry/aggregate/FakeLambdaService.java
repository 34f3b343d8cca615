package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for the Lambda service's Invoke API ({@code POST /2015-03-31/functions/<name>/invocations}): it
 * answers 202 as Lambda does for an asynchronous invocation and keeps each request (path, invocation type,
 * payload), which tests read back as JSON from {@code GET /received}. Points the aggregator's self-invocation at
 * itself through {@code telemetry.aggregation.lambda-endpoint}.
 */
public class FakeLambdaService implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] AWS_PROPERTIES = {"aws.region", "aws.accessKeyId", "aws.secretAccessKey"};

    private final ArrayNode received = MAPPER.createArrayNode();
    private final Map<String, String> previous = new HashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Lambda service", e);
        }
        server.createContext("/2015-03-31/functions/", this::invoke);
        server.createContext("/received", this::report);
        server.start();
        // the SDK client needs a region and credentials to sign with; the values are never checked here
        for (String p : AWS_PROPERTIES) {
            previous.put(p, System.getProperty(p));
            System.setProperty(p, p.equals("aws.region") ? "us-east-1" : "test");
        }
        return Map.of("telemetry.aggregation.lambda-endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        previous.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    private void invoke(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (received) {
            received.addObject()
                    .put("method", exchange.getRequestMethod())
                    .put("path", exchange.getRequestURI().getPath())
                    .put("invocationType", exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))
                    .put("payload", new String(body, StandardCharsets.UTF_8));
        }
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    private void report(HttpExchange exchange) throws IOException {
        byte[] out;
        synchronized (received) {
            out = MAPPER.writeValueAsBytes(received);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }
}
