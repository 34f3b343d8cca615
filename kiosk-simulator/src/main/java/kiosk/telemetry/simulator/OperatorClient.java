package kiosk.telemetry.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The operator's side of the API, as the simulator needs it: registering kiosks and reading back, page by page,
 * what the server holds for a device.
 */
public final class OperatorClient {

    private final URI base;
    private final String adminToken;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public OperatorClient(URI base, String adminToken, HttpClient http) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.adminToken = adminToken;
        this.http = http;
    }

    /** Registers a kiosk and returns its device token. */
    public String register(String deviceId, String storeId, String countryCode) throws IOException, InterruptedException {
        String body = json.createObjectNode().put("deviceId", deviceId).put("storeId", storeId)
                .put("countryCode", countryCode).toString();
        HttpResponse<String> r = http.send(request("/api/devices").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IOException("registering " + deviceId + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("token").asText();
    }

    /** What the server holds for one device and kind: the number of records and, for sessions, per status. */
    public record Held(long count, Map<String, Long> byStatus) {
    }

    /**
     * Walks every page of a device's records of one kind ({@code sessions}, {@code events}, {@code performance},
     * {@code errors}, {@code sales}).
     */
    public Held held(String kind, String deviceId) throws IOException, InterruptedException {
        long[] count = {0};
        Map<String, Long> byStatus = new TreeMap<>();
        forEachItem("/api/" + kind + "?deviceId=" + enc(deviceId), item -> {
            count[0]++;
            if (kind.equals("sessions")) {
                byStatus.merge(item.path("status").asText(), 1L, Long::sum);
            }
        });
        return new Held(count[0], byStatus);
    }

    /** The events the server holds for one session, in {@code sequenceNo} order. */
    public JsonNode sessionEvents(String sessionId) throws IOException, InterruptedException {
        var items = json.createArrayNode();
        forEachItem("/api/events/session/" + enc(sessionId) + "?", items::add);
        return items;
    }

    /** Pages through a list route (500 items a page, following {@code nextCursor}); any answer but 200 throws. */
    private void forEachItem(String pathAndQuery, Consumer<JsonNode> action) throws IOException, InterruptedException {
        String cursor = null;
        do {
            String q = pathAndQuery + (pathAndQuery.endsWith("?") ? "" : "&") + "limit=500" + (cursor == null ? "" : "&cursor=" + enc(cursor));
            HttpResponse<byte[]> r = http.send(request(q).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + q + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            JsonNode page = json.readTree(r.body());
            page.path("items").forEach(action);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
    }

    /** One record by path, for example {@code /api/sessions/<id>}; null when 404. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 404 ? null : json.readTree(r.body());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
