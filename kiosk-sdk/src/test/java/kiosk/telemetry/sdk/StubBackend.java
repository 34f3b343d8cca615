package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small in-process HTTP server speaking the contract's ingestion routes: by default it stores by dedup key and
 * answers as the backend does (201/200 created flag, batch accepted/duplicates). A test can queue scripted
 * answers per route to produce the edge cases (503 with {@code retry}, timeouts, 413...).
 */
final class StubBackend implements AutoCloseable {

    record Received(String method, String path, String token, JsonNode body) {
    }

    /** A scripted answer; {@code delayMs} holds the answer back (to provoke client timeouts). */
    record Scripted(int status, String body, long delayMs) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Function<Received, Scripted>>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> stored = new ConcurrentHashMap<>();
    private final Map<String, Long> sessionSeq = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> storedBodies = new ConcurrentHashMap<>();
    private volatile boolean validateTimestamps;

    private static final Set<String> TIME_FIELDS = Set.of("timestamp", "startedAt", "endedAt", "soldAt", "enteredAt", "exitedAt");
    private static final Set<String> APP_OBJECTS = Set.of("properties", "data", "deviceState", "context", "experiments",
            "breakdown", "behavior", "amounts", "settlement");

    StubBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request to {@code routePrefix} gets this answer instead of the default. */
    void script(String routePrefix, Function<Received, Scripted> answer) {
        scripted.computeIfAbsent(routePrefix, k -> new ArrayDeque<>()).addLast(answer);
    }

    void script(String routePrefix, int status, String body) {
        script(routePrefix, r -> new Scripted(status, body, 0));
    }

    /**
     * From now on, refuse timestamps as the backend does, against this machine's real clock: more than 5 minutes
     * in the future or more than 30 days in the past is a 400 for the item (per item in batches).
     */
    void validateTimestamps(boolean on) {
        validateTimestamps = on;
    }

    /** The newest body stored under a key ("events": sessionId#sequenceNo, "sessions": id, "patch": id, ...). */
    JsonNode body(String kind, String key) {
        return storedBodies.get(kind + "/" + key);
    }

    /** The problems with an item's timestamps, as the backend names them ({@code field}, {@code message}). */
    private List<String[]> badTimes(JsonNode node, String path) {
        List<String[]> bad = new ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (TIME_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
                    java.time.Instant t = java.time.OffsetDateTime.parse(e.getValue().asText()).toInstant();
                    if (t.isAfter(now.plusSeconds(300))) {
                        bad.add(new String[]{field, "must be at most 5 minutes in the future"});
                    } else if (t.isBefore(now.minus(java.time.Duration.ofDays(30)))) {
                        bad.add(new String[]{field, "must be at most 30 days in the past"});
                    }
                } else if (!APP_OBJECTS.contains(e.getKey())) {
                    bad.addAll(badTimes(e.getValue(), field));
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                bad.addAll(badTimes(node.get(i), path + "[" + i + "]"));
            }
        }
        return bad;
    }

    private String errorsJson(List<String[]> bad) {
        var arr = json.createArrayNode();
        bad.forEach(b -> arr.addObject().put("field", b[0]).put("message", b[1]));
        return arr.toString();
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized List<Received> received(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    /** Keys stored for a kind ("events": sessionId#sequenceNo, "sessions", "metrics", "errors", "sales"). */
    Set<String> stored(String kind) {
        return stored.getOrDefault(kind, Set.of());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] in = ex.getRequestBody().readAllBytes();
            JsonNode body = in.length == 0 ? json.nullNode() : json.readTree(in);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    auth == null ? null : auth.replaceFirst("^Bearer ", ""), body);
            synchronized (this) {
                received.add(r);
            }
            Scripted answer = scriptedFor(r);
            if (answer == null) {
                answer = defaultAnswer(r);
            }
            if (answer.delayMs() > 0) {
                Thread.sleep(answer.delayMs());
            }
            byte[] out = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client timed out and closed the connection; nothing to answer
        }
    }

    private Function<Received, Scripted> nextScript(String path) {
        for (var e : scripted.entrySet()) {
            if (path.startsWith(e.getKey())) {
                synchronized (e.getValue()) {
                    Function<Received, Scripted> f = e.getValue().pollFirst();
                    if (f != null) {
                        return f;
                    }
                }
            }
        }
        return null;
    }

    private Scripted scriptedFor(Received r) {
        Function<Received, Scripted> f = nextScript(r.path());
        return f == null ? null : f.apply(r);
    }

    /** Stores the items of a batch (every one accepted unless already stored) and answers like the backend. */
    Scripted storeBatch(Received r, String list, String kind) {
        int accepted = 0;
        int duplicates = 0;
        var rejected = json.createArrayNode();
        int index = 0;
        for (JsonNode item : r.body().path(list)) {
            List<String[]> bad = validateTimestamps ? badTimes(item, "") : List.of();
            if (!bad.isEmpty()) {
                rejected.addObject().put("index", index++).set("errors", json.valueToTree(
                        bad.stream().map(b -> Map.of("field", b[0], "message", b[1])).toList()));
                continue;
            }
            index++;
            String key = list.equals("events") ? item.path("sessionId").asText() + "#" + item.path("sequenceNo").asLong()
                    : item.path("metricId").asText();
            if (store(kind, key)) {
                storedBodies.put(kind + "/" + key, item);
                accepted++;
            } else {
                duplicates++;
            }
        }
        String out = "{\"accepted\":" + accepted + ",\"duplicates\":" + duplicates + ",\"rejected\":" + rejected + "}";
        return new Scripted(accepted + duplicates == 0 && !rejected.isEmpty() ? 400 : 200, out, 0);
    }

    private boolean store(String kind, String key) {
        return stored.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(key);
    }

    private Scripted defaultAnswer(Received r) {
        String p = r.path();
        if (validateTimestamps && !p.endsWith("/batch")) {
            List<String[]> bad = badTimes(r.body(), "");
            if (!bad.isEmpty()) {
                return new Scripted(400, "{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"invalid timestamp\",\"errors\":"
                        + errorsJson(bad) + "}", 0);
            }
        }
        if (p.equals("/api/events/batch")) {
            return storeBatch(r, "events", "events");
        }
        if (p.equals("/api/performance/batch")) {
            return storeBatch(r, "metrics", "metrics");
        }
        if (r.method().equals("PATCH") && p.startsWith("/api/sessions/")) {
            String id = p.substring("/api/sessions/".length());
            if (!stored("sessions").contains(id)) {
                return new Scripted(404, "{\"status\":404,\"detail\":\"session " + id + " does not exist\"}", 0);
            }
            long seq = r.body().path("seq").asLong();
            boolean applied = sessionSeq.merge(id, seq, Math::max) == seq && seq > 0;
            if (applied) {
                storedBodies.put("patch/" + id, r.body());
            }
            return new Scripted(200, "{\"applied\":" + applied + "}", 0);
        }
        Map<String, String[]> singles = Map.of("/api/sessions", new String[]{"sessions", "sessionId"},
                "/api/errors", new String[]{"errors", "errorId"}, "/api/sales", new String[]{"sales", "saleId"});
        String[] kindAndId = singles.get(p);
        if (kindAndId == null) {
            return new Scripted(404, "{\"status\":404}", 0);
        }
        String id = r.body().path(kindAndId[1]).asText();
        boolean created = store(kindAndId[0], id);
        if (created) {
            storedBodies.put(kindAndId[0] + "/" + id, r.body());
        }
        ObjectNode out = json.createObjectNode().put(kindAndId[1], id).put("created", created);
        return new Scripted(created ? 201 : 200, out.toString(), 0);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
