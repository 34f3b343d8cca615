package kiosk.telemetry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import kiosk.telemetry.engines.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document the local stack serves ({@code GET /q/openapi}, from {@code META-INF/openapi.yaml}) against
 * template.yaml and against the running stack itself.
 * <p>
 * The document links a request example to its answer by name: a request example named {@code N} is answered with
 * the response example named {@code N}, whatever its status. The test sends every request example, in the order of
 * the story the examples tell (register a kiosk, open a session, ..., aggregate the day), and compares the answer with
 * the documented one; problems must be equal member for member, successes too except for values the server makes
 * up (tokens, run ids, receive and resolve times), which must have the documented form. The examples' dates are
 * moved by whole days to the recent past first, so their timestamps fall inside the accepted window on any day.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiDocumentIT {

    private static final String ADMIN = "it-openapi-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> METHODS = Set.of("get", "post", "patch", "delete", "put");
    private static final Pattern DATE = Pattern.compile("\\b(\\d{4}-\\d{2}-\\d{2})(?=T\\d|\\b)");
    private static final Pattern UUID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final Pattern UTC = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$");
    /** Values the server makes up; an answer's value must have the documented form, not the documented value. */
    private static final Set<String> MADE_BY_THE_SERVER = Set.of("token", "runId", "receivedAt", "resolvedAt", "createdAt", "updatedAt",
            "lastSeenAt", "revokedAt");
    private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 401, "Unauthorized", 403, "Forbidden",
            404, "Not Found", 405, "Method Not Allowed", 409, "Conflict", 413, "Content Too Large", 415, "Unsupported Media Type",
            500, "Internal Server Error", 503, "Service Unavailable");

    /** The operations with a body, in the order the examples' story needs them. */
    private static final List<String> STORY = List.of("POST /api/devices", "POST /api/sessions", "PATCH /api/sessions/{sessionId}",
            "POST /api/sales", "POST /api/events/batch", "POST /api/performance", "POST /api/performance/batch", "POST /api/errors",
            "PATCH /api/errors/{errorId}/resolve", "PATCH /api/errors/groups/{fingerprint}/resolve", "POST /api/daily-summary/aggregate");

    /** One bad request per operation that reads no body but documents a 400; the answer must be one of its 400 examples. */
    private static final Map<String, String> BAD_QUERIES = Map.ofEntries(
            Map.entry("GET /api/devices", "/api/devices?limit=0"),
            Map.entry("GET /api/sessions", "/api/sessions?status=done&from=yesterday"),
            Map.entry("GET /api/sales", "/api/sales?limit=ten&to=tomorrow"),
            Map.entry("GET /api/events", "/api/events?limit=501"),
            Map.entry("GET /api/events/session/{sessionId}", "/api/events/session/{sessionId}?cursor=abc"),
            Map.entry("GET /api/performance", "/api/performance?metricType=scan&success=no"),
            Map.entry("GET /api/errors", "/api/errors?severity=critical&resolved=yes"),
            Map.entry("GET /api/errors/groups", "/api/errors/groups?category=printer"),
            Map.entry("GET /api/daily-summary/runs", "/api/daily-summary/runs?limit=x"),
            Map.entry("GET /api/daily-summary", "/api/daily-summary"),
            Map.entry("GET /api/daily-summary/{date}/{deviceId}", "/api/daily-summary/2026-11-31/kiosk-0001"),
            Map.entry("GET /api/daily-summary/rollups/{date}", "/api/daily-summary/rollups/{date}?storeId=store-12&groupId=grp-seoul"),
            Map.entry("GET /api/insights/overview", "/api/insights/overview?from={from}"),
            Map.entry("GET /api/insights/hourly", "/api/insights/hourly?from={to}&to={from}"),
            Map.entry("GET /api/insights/timeseries", "/api/insights/timeseries?from={from}&to={to}&metric=revenue"),
            Map.entry("GET /api/insights/experiments", "/api/insights/experiments?from={from}&to={from}&storeId=store-12&groupId=grp-seoul"),
            Map.entry("GET /api/insights/breakdown", "/api/insights/breakdown?by=device&metric=sessions&from={from}&to={to}"),
            Map.entry("GET /api/insights/today", "/api/insights/today?from={to}"));

    /** Query parameters a read needs besides its required ones (one of two alternatives the schema cannot require). */
    private static final Map<String, List<String>> READ_WITH = Map.of("GET /api/daily-summary", List.of("date"));

    private static Process process;
    private static int port;
    private static JsonNode doc;
    private static SchemaCheck schemas;
    private static long shiftDays;
    private static Story story;
    private static Throwable storyFailure;

    /** What the story left behind: the kiosks' tokens and the runs it started. */
    private record Story(Map<String, String> tokens, String kiosk, String otherKiosk, List<String> runIds) {
    }

    private record Op(String method, String path, JsonNode node, JsonNode pathItem) {
        String key() {
            return method.toUpperCase() + " " + path;
        }

        boolean kiosk() {
            return node.path("security").toString().contains("deviceToken");
        }

        boolean hasBody() {
            return node.has("requestBody");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        port = freePort();
        Path log = Files.createTempFile("openapi-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("local.stack.jar")).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("TELEMETRY_PORT", Integer.toString(port), "TELEMETRY_IN_MEMORY", "true",
                "TELEMETRY_ADMIN_TOKEN", ADMIN, "TELEMETRY_AGGREGATION_SETTLE", "PT0S"));
        process = pb.start();
        StackTime.await(Duration.ofSeconds(120), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("local stack exited: " + Files.readString(log));
            }
            try {
                return send("GET", "/q/health", null, null, null).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        }, ok -> ok, ok -> "local stack did not become healthy: " + Files.readString(log));
        var answer = send("GET", "/q/openapi?format=json", null, null, null);
        assertEquals(200, answer.statusCode(), answer.body());
        doc = JSON.readTree(answer.body());
        schemas = new SchemaCheck(doc);
        shiftDays = shiftDays();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    // ---- the document on its own ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void documentsEveryRouteOfTheTemplate_withItsCaller() {
        Map<String, Boolean> declared = new LinkedHashMap<>();
        Set<String> onDashboardApi = new TreeSet<>();
        SamTemplate template = SamTemplate.fromClasspath();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, fn) -> {
            Object events = SamTemplate.properties(fn).get("Events");
            if (!(events instanceof Map<?, ?> evs)) {
                return;
            }
            for (Object e : evs.values()) {
                Map<?, ?> ev = (Map<?, ?>) e;
                Map<?, ?> p = (Map<?, ?>) ev.get("Properties");
                if (!"HttpApi".equals(ev.get("Type")) || "$default".equals(p.get("Path"))) {
                    continue;
                }
                if (p.get("ApiId") instanceof Map<?, ?> api && "DashboardApi".equals(api.get("Ref"))) {
                    onDashboardApi.add(p.get("Method") + " " + p.get("Path"));
                    continue;
                }
                boolean iam = p.get("Auth") instanceof Map<?, ?> auth && "AWS_IAM".equals(auth.get("Authorizer"));
                declared.put(p.get("Method") + " " + p.get("Path"), iam);
            }
        });
        assertTrue(declared.size() > 30, "template.yaml's routes were read: " + declared.keySet());
        Map<String, Op> documented = new LinkedHashMap<>();
        operations().stream().filter(op -> op.path().startsWith("/api/")).forEach(op -> documented.put(op.key(), op));
        assertEquals(new TreeSet<>(declared.keySet()), new TreeSet<>(documented.keySet()), "the document's /api routes are template.yaml's");

        declared.forEach((route, operator) -> {
            JsonNode security = documented.get(route).node().get("security");
            assertNotNull(security, route + " says who may call it");
            List<String> schemes = new ArrayList<>();
            security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            List<String> expected = !operator ? List.of("deviceToken")
                    : onDashboardApi.contains(route) ? List.of("adminToken", "awsIam", "dashboardIdToken") : List.of("adminToken", "awsIam");
            assertEquals(expected, schemes, "callers of " + route);
        });
        assertTrue(declared.keySet().containsAll(onDashboardApi), "every dashboard route is also a route of the machine API");
        assertEquals("bearer", doc.at("/components/securitySchemes/dashboardIdToken/scheme").asText());
        JsonNode s = doc.at("/components/securitySchemes");
        assertEquals("bearer", s.at("/deviceToken/scheme").asText());
        assertEquals("bearer", s.at("/adminToken/scheme").asText());
        assertEquals("apiKey", s.at("/awsIam/type").asText());
        assertEquals("Authorization", s.at("/awsIam/name").asText());
        assertEquals("awsSigv4", s.at("/awsIam/x-amazon-apigateway-authtype").asText());
        assertTrue(s.at("/awsIam/description").asText().contains("execute-api"), "the IAM scheme says how to sign");
    }

    @Test
    @Order(2)
    void everyOperationDocumentsItsAnswers_withAnExampleOfEach() {
        for (Op op : operations()) {
            String where = op.key();
            Map<String, JsonNode> responses = responses(op);
            assertTrue(responses.keySet().stream().anyMatch(s -> s.startsWith("2")), where + " documents a success");
            if (op.path().startsWith("/api/")) {
                assertTrue(responses.keySet().stream().anyMatch(s -> s.startsWith("4")), where + " documents a client error");
                for (String status : List.of("401", "403", "503")) {
                    assertTrue(responses.containsKey(status), where + " documents " + status);
                }
                if (op.hasBody()) {
                    for (String status : List.of("400", "413", "415")) {
                        assertTrue(responses.containsKey(status), where + " documents " + status);
                    }
                }
            }
            responses.forEach((status, response) -> {
                String at = where + " " + status;
                assertTrue(response.path("description").asText().length() > 3, at + " is described");
                if (status.equals("204")) {
                    assertFalse(response.has("content"), at + " has no body");
                    return;
                }
                JsonNode content = response.get("content");
                assertNotNull(content, at + " has a body");
                content.fields().forEachRemaining(media -> {
                    assertTrue(media.getValue().has("schema"), at + " " + media.getKey() + " has a schema");
                    Map<String, JsonNode> examples = examples(media.getValue());
                    assertFalse(examples.isEmpty(), at + " " + media.getKey() + " has an example");
                    int code = Integer.parseInt(status);
                    if (code >= 400 && op.path().startsWith("/api/")) {
                        assertEquals(Set.of("application/problem+json"), fieldNames(content), at + " is a problem");
                        examples.forEach((name, value) -> {
                            assertEquals(code, value.path("status").asInt(), at + " example " + name);
                            assertEquals(REASONS.get(code), value.path("title").asText(), at + " example " + name);
                            assertEquals("urn:kiosk-telemetry:problem:" + REASONS.get(code).toLowerCase().replace(' ', '-'),
                                    value.path("type").asText(), at + " example " + name);
                            value.path("errors").forEach(e -> assertEquals(Set.of("field", "message"), fieldNames(e), at + " " + name));
                        });
                    }
                });
                if (status.equals("503") && op.path().startsWith("/api/")) {
                    assertTrue(response.path("headers").has("Retry-After"), at + " declares Retry-After");
                }
            });
            for (String name : pathParameterNames(op.path())) {
                JsonNode p = parameter(op, name, "path");
                assertNotNull(p, where + " declares its path parameter " + name);
                assertTrue(p.path("required").asBoolean(), where + " " + name + " is required");
                assertTrue(p.has("example"), where + " " + name + " has an example");
            }
            if (op.hasBody()) {
                JsonNode body = op.node().get("requestBody");
                assertTrue(body.path("required").asBoolean(), where + " requires its body");
                JsonNode json = body.path("content").path("application/json");
                assertTrue(json.has("schema"), where + " describes its body");
                Map<String, JsonNode> requests = examples(json);
                assertFalse(requests.isEmpty(), where + " has a request example");
                Map<String, String> answeredWith = new LinkedHashMap<>();
                for (String name : requests.keySet()) {
                    answeredWith.put(name, answerTo(op, name).status());
                }
                assertTrue(answeredWith.values().stream().anyMatch(s -> s.startsWith("2")), where + ": a request example that succeeds");
                assertTrue(answeredWith.containsValue("400"), where + ": a request example answered 400 " + answeredWith);
            }
        }
        List<String> withBody = operations().stream().filter(Op::hasBody).map(Op::key).toList();
        assertEquals(new TreeSet<>(STORY), new TreeSet<>(withBody), "the story sends every operation that takes a body");
    }

    @Test
    @Order(3)
    void everyExampleFitsItsSchema() {
        List<String> misfits = new ArrayList<>();
        for (Op op : operations()) {
            responses(op).forEach((status, response) -> response.path("content").fields().forEachRemaining(media ->
                    examples(media.getValue()).forEach((name, value) -> schemas.errors(value, media.getValue().get("schema"))
                            .forEach(e -> misfits.add(op.key() + " " + status + " example " + name + ": " + e)))));
            parameters(op).forEach(p -> {
                if (p.has("example")) {
                    JsonNode example = p.get("schema").path("type").asText().equals("integer") && p.get("example").isTextual()
                            ? JSON.valueToTree(Long.parseLong(p.get("example").asText())) : p.get("example");
                    schemas.errors(example, p.get("schema")).forEach(e -> misfits.add(op.key() + " parameter " + p.get("name") + ": " + e));
                }
            });
            if (op.hasBody()) {
                JsonNode json = op.node().at("/requestBody/content/application~1json");
                examples(json).forEach((name, value) -> {
                    Answer answer = answerTo(op, name);
                    if (!answer.status().startsWith("2")) {
                        return; // an example of what is refused
                    }
                    schemas.errors(withoutRejectedItems(value, answer.value()), json.get("schema"))
                            .forEach(e -> misfits.add(op.key() + " request example " + name + ": " + e));
                });
            }
        }
        assertEquals(List.of(), misfits);
    }

    @Test
    @Order(4)
    void theSchemaCheckRefusesWhatTheDocumentDoesNotAllow() {
        JsonNode problem = doc.at("/components/schemas/Problem");
        ObjectNode fine = JSON.createObjectNode().put("type", "urn:kiosk-telemetry:problem:not-found").put("title", "Not Found")
                .put("status", 404).put("detail", "session x does not exist").put("instance", "/api/sessions/x");
        assertEquals(List.of(), schemas.errors(fine, problem));
        assertFalse(schemas.errors(fine.deepCopy().without("detail"), problem).isEmpty(), "a missing member");
        assertFalse(schemas.errors(fine.deepCopy().put("hint", "x"), problem).isEmpty(), "an undescribed member");
        assertFalse(schemas.errors(fine.deepCopy().put("status", "404"), problem).isEmpty(), "a wrong type");
        assertFalse(schemas.errors(fine.deepCopy().put("type", "about:blank"), problem).isEmpty(), "a pattern");
        assertFalse(schemas.errors(JSON.createObjectNode().put("x", 1), JSON.createObjectNode().put("unevaluatedProperties", false))
                .isEmpty(), "an unknown keyword is not ignored");
    }

    // ---- the document against the running stack ------------------------------------------------------------------

    @Test
    @Order(10)
    void everyRequestExample_isAnsweredAsDocumented() throws Exception {
        story();
    }

    @Test
    @Order(11)
    void aRequestFromAnotherKiosk_isAnsweredAsDocumented() throws Exception {
        Story s = story();
        for (Op op : operations()) {
            if (!op.kiosk() || !op.hasBody() || op.path().endsWith("/batch")) {
                continue;
            }
            var first = examples(op.node().at("/requestBody/content/application~1json")).entrySet().iterator().next();
            String path = concretePath(op);
            var answer = send(op.method(), path, s.tokens().get(s.otherKiosk()), shift(first.getValue()).toString(), "application/json");
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, op.key() + " from another kiosk: " + answer.body());
            assertDocumented(op, answer);
        }
    }

    @Test
    @Order(12)
    void refusalsBeforeTheBodyIsRead_matchTheirExamples() throws Exception {
        Story s = story();
        String kioskToken = s.tokens().get(s.kiosk());
        for (Op op : operations()) {
            if (!op.path().startsWith("/api/")) {
                continue;
            }
            String path = concretePath(op);
            String body = op.hasBody() ? shift(examples(op.node().at("/requestBody/content/application~1json")).values().iterator().next()).toString() : null;
            String type = body == null ? null : "application/json";
            String right = op.kiosk() ? kioskToken : ADMIN;
            String wrongKind = op.kiosk() ? ADMIN : kioskToken;
            String unknown = op.kiosk() ? "kt1.a2lvc2stOTk5OQ.bm90LWEtcmVhbC1zZWNyZXQtb2YtMzItYnl0ZXMtYXQtYWxs" : "adm.not-the-admin-token";

            assertDocumented(op, expect(401, send(op.method(), path, null, body, type), op));
            assertDocumented(op, expect(401, send(op.method(), path, unknown, body, type), op));
            assertDocumented(op, expect(403, send(op.method(), path, wrongKind, body, type), op));
            if (op.hasBody()) {
                assertDocumented(op, expect(415, send(op.method(), path, right, body, "text/plain"), op));
                assertDocumented(op, expect(415, send(op.method(), path, right, body, null), op));
                String large = "{\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
                assertDocumented(op, expect(413, send(op.method(), path, right, large, type), op));
            }
        }
    }

    @Test
    @Order(13)
    void documentedNotFounds_areWhatTheirInstanceAnswers() throws Exception {
        Story s = story();
        int checked = 0;
        for (Op op : operations()) {
            JsonNode notFound = responses(op).get("404");
            if (notFound == null) {
                continue;
            }
            for (var example : examples(notFound.at("/content/application~1problem+json")).entrySet()) {
                String instance = shift(example.getValue().get("instance").asText());
                assertTrue(template(op.path()).matcher(instance).matches(), op.key() + " 404 example " + example.getKey()
                        + ": its instance " + instance + " is a path of the operation");
                String body = op.hasBody() ? shift(examples(op.node().at("/requestBody/content/application~1json")).values().iterator().next()).toString() : null;
                var answer = send(op.method(), instance, op.kiosk() ? s.tokens().get(s.kiosk()) : ADMIN, body, body == null ? null : "application/json");
                assertEquals(404, answer.statusCode(), op.key() + " " + instance + ": " + answer.body());
                assertSame(shift(example.getValue()), JSON.readTree(answer.body()), op.key() + " 404 example " + example.getKey());
                checked++;
            }
        }
        assertTrue(checked >= 12, "404 examples checked: " + checked);
    }

    @Test
    @Order(14)
    void aBadQuery_isAnsweredWithOneOfTheDocumented400s() throws Exception {
        story();
        List<String> without = new ArrayList<>();
        for (Op op : operations()) {
            if (op.hasBody() || !responses(op).containsKey("400")) {
                continue;
            }
            String request = BAD_QUERIES.get(op.key());
            if (request == null) {
                without.add(op.key());
                continue;
            }
            String path = fill(op, request.replace("{from}", shift("2026-11-16")).replace("{to}", shift("2026-11-22")));
            var answer = send(op.method(), path, ADMIN, null, null);
            assertEquals(400, answer.statusCode(), op.key() + " " + path + ": " + answer.body());
            assertDocumented(op, answer);
        }
        assertEquals(List.of(), without, "operations documenting a 400 without a bad request to check it with");
    }

    @Test
    @Order(20)
    void everyRead_answersItsDocumentedSuccess_inItsSchema() throws Exception {
        Story s = story();
        waitForRuns(s.runIds());
        List<String> others = new ArrayList<>();
        for (Op op : operations()) {
            if (!op.method().equals("get")) {
                if (!op.hasBody()) {
                    others.add(op.key());
                }
                continue;
            }
            StringBuilder path = new StringBuilder(concretePath(op));
            if (op.path().equals("/api/daily-summary/runs/{runId}")) { // run ids are made by the server
                path = new StringBuilder("/api/daily-summary/runs/" + s.runIds().get(0));
            }
            String sep = "?";
            for (JsonNode p : parameters(op)) {
                String name = p.get("name").asText();
                if (p.get("in").asText().equals("query")
                        && (p.path("required").asBoolean() || READ_WITH.getOrDefault(op.key(), List.of()).contains(name))) {
                    path.append(sep).append(name).append('=').append(URLEncoder.encode(shift(p.get("example").asText()), StandardCharsets.UTF_8));
                    sep = "&";
                }
            }
            var answer = send("GET", path.toString(), op.path().startsWith("/api/") ? ADMIN : null, null, null);
            assertEquals(200, answer.statusCode(), op.key() + " " + path + ": " + answer.body());
            JsonNode body = JSON.readTree(answer.body());
            JsonNode schema = responses(op).get("200").at("/content/application~1json/schema");
            assertEquals(List.of(), schemas.errors(body, schema), op.key() + " " + path + " answered " + answer.body());
            if (body.has("items")) {
                assertFalse(body.get("items").isEmpty(), op.key() + " " + path + " lists what the story stored");
            }
        }
        assertEquals(new TreeSet<>(List.of("DELETE /api/devices/{deviceId}", "POST /api/devices/{deviceId}/token",
                "POST /api/devices/{deviceId}/restore")), new TreeSet<>(others), "operations without a body that are not reads");
    }

    @Test
    @Order(30)
    void theDeviceLifecycle_isAnsweredAsDocumented() throws Exception {
        story();
        Op rotate = operation("POST /api/devices/{deviceId}/token");
        Op revoke = operation("DELETE /api/devices/{deviceId}");
        Op restore = operation("POST /api/devices/{deviceId}/restore");
        String rotatePath = concretePath(rotate);

        assertDocumented(rotate, expect(200, send("POST", rotatePath, ADMIN, null, null), rotate));
        var revoked = send("DELETE", concretePath(revoke), ADMIN, null, null);
        assertEquals(204, revoked.statusCode(), revoked.body());
        assertEquals("", revoked.body());
        assertDocumented(rotate, expect(409, send("POST", rotatePath, ADMIN, null, null), rotate));
        assertDocumented(restore, expect(200, send("POST", concretePath(restore), ADMIN, null, null), restore));
        assertDocumented(restore, expect(409, send("POST", concretePath(restore), ADMIN, null, null), restore));
    }

    // ---- the story ----------------------------------------------------------------------------------------------

    /** The story, told once; a test that needs it after it failed fails with that failure. */
    private static synchronized Story story() throws Exception {
        if (storyFailure != null) {
            throw new AssertionError("the examples' story failed", storyFailure);
        }
        if (story == null) {
            try {
                story = tell();
            } catch (Exception | AssertionError e) {
                storyFailure = e;
                throw e;
            }
        }
        return story;
    }

    private static Story tell() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        List<String> runIds = new ArrayList<>();
        String kiosk = null;
        for (String key : STORY) {
            Op op = operation(key);
            String path = concretePath(op);
            for (var example : examples(op.node().at("/requestBody/content/application~1json")).entrySet()) {
                String where = key + " request example " + example.getKey();
                Answer documented = answerTo(op, example.getKey());
                String token = op.kiosk() ? tokens.get(kiosk) : ADMIN;
                var answer = send(op.method(), path, token, shift(example.getValue()).toString(), "application/json");
                assertEquals(documented.status(), Integer.toString(answer.statusCode()), where + ": " + answer.body());
                JsonNode body = JSON.readTree(answer.body());
                assertSame(shift(documented.value()), body, where);
                if (body.has("token")) {
                    tokens.put(body.get("deviceId").asText(), body.get("token").asText());
                    kiosk = kiosk == null ? body.get("deviceId").asText() : kiosk;
                }
                if (body.has("runId")) {
                    runIds.add(body.get("runId").asText());
                }
            }
        }
        String first = kiosk;
        String other = tokens.keySet().stream().filter(d -> !d.equals(first)).findFirst()
                .orElseThrow(() -> new AssertionError("the examples register a second kiosk"));
        assertFalse(runIds.isEmpty(), "the story starts an aggregation run");
        return new Story(tokens, kiosk, other, runIds);
    }

    private static void waitForRuns(List<String> runIds) throws Exception {
        List<JsonNode> runs = StackTime.await(Duration.ofSeconds(180), () -> {
            List<JsonNode> read = new ArrayList<>();
            for (String runId : runIds) {
                var run = send("GET", "/api/daily-summary/runs/" + runId, ADMIN, null, null);
                assertEquals(200, run.statusCode(), run.body());
                read.add(JSON.readTree(run.body()));
            }
            return read;
        }, read -> read.stream().noneMatch(run -> run.get("status").asText().equals("running")), read -> "runs still running: " + read);
        for (JsonNode run : runs) {
            assertEquals("succeeded", run.get("status").asText(), run.toString());
        }
    }

    // ---- comparing answers ----------------------------------------------------------------------------------------

    private record Answer(String status, JsonNode value) {
    }

    /** The response example with the request example's name: the documented answer to it. */
    private static Answer answerTo(Op op, String name) {
        List<Answer> found = new ArrayList<>();
        responses(op).forEach((status, response) -> response.path("content").forEach(media -> {
            JsonNode value = examples(media).get(name);
            if (value != null) {
                found.add(new Answer(status, value));
            }
        }));
        assertEquals(1, found.size(), op.key() + ": request example " + name + " has one response example of that name: " + found);
        return found.get(0);
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> answer, Op op) {
        assertEquals(status, answer.statusCode(), op.key() + " " + answer.request().uri() + ": " + answer.body());
        return answer;
    }

    /**
     * The answer is one of the examples the operation documents for its status, and fits that response's schema. A
     * shared example (a component, written once for many routes) names one route as its {@code instance}; it is
     * compared as if it named the path that was asked.
     */
    private static void assertDocumented(Op op, HttpResponse<String> answer) throws IOException {
        String status = Integer.toString(answer.statusCode());
        JsonNode raw = op.node().path("responses").get(status);
        assertNotNull(raw, op.key() + " documents " + status + " (answered " + answer.body() + ")");
        JsonNode response = schemas.resolve(raw);
        JsonNode body = JSON.readTree(answer.body());
        JsonNode schema = response.at("/content/application~1problem+json/schema");
        if (schema.isMissingNode()) {
            schema = response.at("/content/application~1json/schema");
        }
        assertEquals(List.of(), schemas.errors(body, schema), op.key() + " " + status + " answered " + body);
        String path = answer.request().uri().getRawPath();
        if (body.has("instance")) {
            assertEquals(path, body.get("instance").asText(), "the problem's instance is the path asked");
        }
        List<String> differences = new ArrayList<>();
        for (JsonNode media : response.path("content")) {
            Iterator<Map.Entry<String, JsonNode>> it = media.path("examples").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> example = it.next();
                boolean shared = raw.has("$ref") || example.getValue().has("$ref");
                JsonNode expected = shift(schemas.resolve(example.getValue()).get("value"));
                if (shared && expected.has("instance")) {
                    ((ObjectNode) expected).put("instance", path);
                }
                List<String> d = new ArrayList<>();
                compare(expected, body, "$", null, d);
                if (d.isEmpty()) {
                    return;
                }
                differences.add(example.getKey() + ": " + d);
            }
        }
        fail(op.key() + " answered " + status + " " + body + ", which is none of its examples: " + differences);
    }

    private static void assertSame(JsonNode expected, JsonNode actual, String where) {
        List<String> differences = new ArrayList<>();
        compare(expected, actual, "$", null, differences);
        assertEquals(List.of(), differences, where + ": documented " + expected + ", answered " + actual);
    }

    private static void compare(JsonNode expected, JsonNode actual, String at, String member, List<String> out) {
        if (member != null && MADE_BY_THE_SERVER.contains(member) && expected.isTextual()) {
            String e = expected.asText();
            String a = actual.isTextual() ? actual.asText() : actual.toString();
            boolean sameForm = switch (member) {
                case "token" -> a.startsWith(e.substring(0, e.lastIndexOf('.') + 1)) && a.length() == e.length();
                case "runId" -> UUID.matcher(a).matches();
                default -> UTC.matcher(a).matches();
            };
            if (!sameForm) {
                out.add(at + ": " + a + " is not of the form of " + e);
            }
            return;
        }
        if (expected.isObject()) {
            if (!actual.isObject() || !fieldNames(expected).equals(fieldNames(actual))) {
                out.add(at + ": members " + fieldNames(expected) + " documented, " + (actual.isObject() ? fieldNames(actual) : actual) + " answered");
                return;
            }
            expected.fields().forEachRemaining(f -> compare(f.getValue(), actual.get(f.getKey()), at + "." + f.getKey(), f.getKey(), out));
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(at + ": " + expected + " documented, " + actual + " answered");
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), at + "[" + i + "]", null, out);
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(at + ": " + expected + " documented, " + actual + " answered");
            }
        } else if (!expected.equals(actual)) {
            out.add(at + ": " + expected + " documented, " + actual + " answered");
        }
    }

    /** A batch request without the items its documented answer rejects: what is left must fit the schema. */
    private static JsonNode withoutRejectedItems(JsonNode request, JsonNode answer) {
        if (!answer.has("rejected") || answer.get("rejected").isEmpty()) {
            return request;
        }
        ObjectNode copy = request.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = copy.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isArray()) {
                ArrayNode kept = JSON.createArrayNode();
                Set<Integer> rejected = new HashSet<>();
                answer.get("rejected").forEach(r -> rejected.add(r.get("index").asInt()));
                for (int i = 0; i < f.getValue().size(); i++) {
                    if (!rejected.contains(i)) {
                        kept.add(f.getValue().get(i));
                    }
                }
                f.setValue(kept);
            }
        }
        return copy;
    }

    // ---- moving the examples' days --------------------------------------------------------------------------------

    /**
     * Whole days that bring the latest time of any request example to at least ten minutes before now, and its latest
     * date to today or before in the reporting zone: the examples' story then happened in the recent past.
     */
    private static long shiftDays() {
        Instant latest = null;
        LocalDate latestDate = null;
        for (Op op : operations()) {
            if (!op.hasBody()) {
                continue;
            }
            for (JsonNode example : examples(op.node().at("/requestBody/content/application~1json")).values()) {
                for (String text : texts(example, new ArrayList<>())) {
                    Matcher m = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})").matcher(text);
                    if (m.matches()) {
                        Instant t = OffsetDateTime.parse(text).toInstant();
                        latest = latest == null || t.isAfter(latest) ? t : latest;
                    } else if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                        LocalDate d = LocalDate.parse(text);
                        latestDate = latestDate == null || d.isAfter(latestDate) ? d : latestDate;
                    }
                }
            }
        }
        assertNotNull(latest, "the request examples carry timestamps");
        Instant now = StackTime.now();
        long days = Math.floorDiv(now.minus(10, ChronoUnit.MINUTES).toEpochMilli() - latest.toEpochMilli(), Duration.ofDays(1).toMillis());
        if (latestDate != null) {
            days = Math.min(days, ChronoUnit.DAYS.between(latestDate, LocalDate.ofInstant(now, ZoneId.of("Asia/Seoul"))));
        }
        return days;
    }

    private static List<String> texts(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> texts(child, out));
        return out;
    }

    private static String shift(String text) {
        Matcher m = DATE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String moved;
            try {
                moved = LocalDate.parse(m.group(1)).plusDays(shiftDays).toString();
            } catch (DateTimeParseException notADate) {
                moved = m.group(1);
            }
            m.appendReplacement(sb, moved);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static JsonNode shift(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(shift(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(), shift(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(shift(n)));
            return out;
        }
        return node;
    }

    // ---- reading the document ---------------------------------------------------------------------------------------

    private static List<Op> operations() {
        List<Op> out = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                out.add(new Op(m.getKey(), p.getKey(), m.getValue(), p.getValue()));
            }
        }));
        return out;
    }

    private static Op operation(String key) {
        return operations().stream().filter(op -> op.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("the document has no operation " + key));
    }

    private static Map<String, JsonNode> responses(Op op) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        op.node().path("responses").fields().forEachRemaining(r -> out.put(r.getKey(), schemas.resolve(r.getValue())));
        return out;
    }

    /** A media type's examples by name (its single {@code example} as "example"), references resolved. */
    private static Map<String, JsonNode> examples(JsonNode media) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (media.has("example")) {
            out.put("example", media.get("example"));
        }
        media.path("examples").fields().forEachRemaining(e -> {
            JsonNode example = schemas.resolve(e.getValue());
            assertTrue(example.has("value"), "example " + e.getKey() + " has a value");
            out.put(e.getKey(), example.get("value"));
        });
        return out;
    }

    private static List<JsonNode> parameters(Op op) {
        List<JsonNode> out = new ArrayList<>();
        op.pathItem().path("parameters").forEach(p -> out.add(schemas.resolve(p)));
        op.node().path("parameters").forEach(p -> out.add(schemas.resolve(p)));
        return out;
    }

    private static JsonNode parameter(Op op, String name, String in) {
        return parameters(op).stream().filter(p -> p.path("name").asText().equals(name) && p.path("in").asText().equals(in))
                .findFirst().orElse(null);
    }

    private static List<String> pathParameterNames(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The operation's path with its documented path parameter examples (days moved). */
    private static String concretePath(Op op) {
        return fill(op, op.path());
    }

    private static String fill(Op op, String template) {
        String out = template;
        for (String name : pathParameterNames(op.path())) {
            out = out.replace("{" + name + "}", shift(parameter(op, name, "path").get("example").asText()));
        }
        return out;
    }

    private static Pattern template(String path) {
        return Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------------------

    private static HttpResponse<String> send(String method, String path, String token, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
