package kiosk.telemetry.bench;

import java.time.ZoneOffset;
import java.time.LocalDate;
import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.store.EventItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event ingest. Part 1, in one run on one in-memory DynamoDB Local: (1) the raw rate of single conditional
 * PutItems of event-shaped items with the SDK (Apache client, as the function) at its best concurrency;
 * (2) events/s through the full path (HTTP, device auth, validation, conditional writes) with batches of 50
 * and 500; each with p50/p99 latency and the ratio to raw. Part 2: the same load on the local stack with each
 * way of keeping DynamoDB's data (in memory, the default snapshot, DynamoDB Local's file store): events/s,
 * batches refused with 503, latencies. Prints figures; asserts nothing.
 */
public final class EventIngestBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "bench-admin";
    private static final int RAW_WARMUP = Integer.getInteger("bench.rawWarmup", 20_000);
    private static final int RAW_ITEMS = Integer.getInteger("bench.rawItems", 30_000);
    private static final int HTTP_WARMUP_EVENTS = Integer.getInteger("bench.httpWarmup", 30_000);
    private static final int HTTP_EVENTS = Integer.getInteger("bench.httpEvents", 60_000);
    private static final int HTTP_CLIENTS = Integer.getInteger("bench.httpClients", 6);
    private static final int STORE_EVENTS = Integer.getInteger("bench.storeEvents", 15_500);

    private EventIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ratioToRaw();
        localStackStores();
        System.exit(0);
    }

    /** Part 1: raw conditional puts against the full HTTP path, on one in-memory engine. */
    private static void ratioToRaw() throws Exception {
        Path log = Files.createTempFile("bench-local-stack", ".log");
        int port = freePort();
        Process stack = startStack(port, log, Map.of("TELEMETRY_IN_MEMORY", "true"));
        try {
            URI dynamoEndpoint = dynamoEndpoint(log);
            System.out.printf("local stack on :%d, DynamoDB Local at %s (one engine for every phase)%n", port, dynamoEndpoint);
            try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(dynamoEndpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(ApacheHttpClient.builder().maxConnections(128).build()).build()) {
                Map<Integer, Double> raw = new LinkedHashMap<>();
                System.out.printf("raw: warm-up %,d conditional puts%n", RAW_WARMUP);
                rawRate(dynamo, 32, RAW_WARMUP);
                for (int c : new int[]{8, 16, 32, 64}) {
                    double rate = rawRate(dynamo, c, RAW_ITEMS);
                    raw.put(c, rate);
                    System.out.printf("raw conditional PutItem, concurrency %2d: %,8.0f puts/s%n", c, rate);
                }
                int bestC = Collections.max(raw.entrySet(), Map.Entry.comparingByValue()).getKey();
                double best = raw.get(bestC);

                HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(HTTP_CLIENTS * 2)).build();
                String token = registerKiosk(http, port);
                System.out.printf("full path: warm-up %,d events%n", HTTP_WARMUP_EVENTS);
                httpPhase(http, port, token, 500, HTTP_WARMUP_EVENTS).requireAllAccepted();
                Result b50 = httpPhase(http, port, token, 50, HTTP_EVENTS).requireAllAccepted();
                Result b500 = httpPhase(http, port, token, 500, HTTP_EVENTS).requireAllAccepted();

                System.out.println();
                System.out.println("| path | events/s | batch p50 ms | batch p99 ms | ratio to raw |");
                System.out.println("|---|---:|---:|---:|---:|");
                System.out.printf("| raw conditional PutItem, best concurrency (%d) | %,.0f | | | 1.00 |%n", bestC, best);
                System.out.printf("| HTTP batches of 50, %d clients | %,.0f | %.1f | %.1f | %.2f |%n", HTTP_CLIENTS, b50.rate, b50.p50, b50.p99, b50.rate / best);
                System.out.printf("| HTTP batches of 500, %d clients | %,.0f | %.1f | %.1f | %.2f |%n", HTTP_CLIENTS, b500.rate, b500.p50, b500.p99, b500.rate / best);
                System.out.printf("%nratio for 500-item batches: %.2f (goal >= 0.80)%n", b500.rate / best);
                System.out.println(EventWriteUnits.measure(dynamoEndpoint, 50, 40).line());
            }
        } finally {
            stop(stack);
        }
    }

    /**
     * Part 2: the local stack as README starts it, with each way of keeping DynamoDB's data: fresh stacks, the
     * same load (HTTP_CLIENTS clients sending 500-event batches, each batch a new session, for STORE_EVENTS
     * events), each answer counted; then the time the stack takes to stop (the snapshot store saves then).
     */
    private static void localStackStores() throws Exception {
        record Store(String name, Map<String, String> env) {
        }
        Path data = Files.createTempDirectory("bench-stores");
        List<Store> stores = List.of(
                new Store("in memory (TELEMETRY_IN_MEMORY=true)", Map.of("TELEMETRY_IN_MEMORY", "true")),
                new Store("data dir, DynamoDB in memory + snapshot (the default)", Map.of("TELEMETRY_DATA_DIR", data.resolve("snapshot").toString())),
                new Store("data dir, DynamoDB Local's file store (TELEMETRY_DYNAMO_STORE=file)",
                        Map.of("TELEMETRY_DATA_DIR", data.resolve("file").toString(), "TELEMETRY_DYNAMO_STORE", "file")));
        List<String> rows = new ArrayList<>();
        for (Store store : stores) {
            Path log = Files.createTempFile("bench-local-stack", ".log");
            int port = freePort();
            Process stack = startStack(port, log, store.env());
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(HTTP_CLIENTS * 2)).build();
            Result r;
            long stopMs;
            try {
                String token = registerKiosk(http, port);
                System.out.printf("%s: %,d events in batches of 500 from %d clients%n", store.name(), STORE_EVENTS, HTTP_CLIENTS);
                r = httpPhase(http, port, token, 500, STORE_EVENTS);
            } finally {
                long t0 = System.nanoTime();
                stop(stack);
                stopMs = (System.nanoTime() - t0) / 1_000_000;
            }
            rows.add(String.format("| %s | %,.0f | %d of %d | %.0f | %.0f | %,d |", store.name(), r.rate, r.refused, r.batches, r.p50, r.p99, stopMs));
        }
        System.out.println();
        System.out.println("| local stack | events/s stored | batches answered 503 | batch p50 ms | batch p99 ms | stop ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static void stop(Process stack) throws InterruptedException {
        stack.destroy();
        stack.waitFor();
    }

    /** Events stored per second, batch latencies, and how many of the batches were refused with 503. */
    private record Result(double rate, double p50, double p99, long batches, long refused, long accepted, long sent) {
        Result requireAllAccepted() {
            if (accepted != sent) {
                throw new IllegalStateException("accepted " + accepted + " of " + sent + " (" + refused + " batches answered 503)");
            }
            return this;
        }
    }

    private static double rawRate(DynamoDbClient dynamo, int concurrency, int items) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < items) {
                    Map<String, AttributeValue> item = rawItem(SEQ.incrementAndGet());
                    try {
                        dynamo.putItem(b -> b.tableName("telemetry-events").item(item).conditionExpression("attribute_not_exists(#s)")
                                .expressionAttributeNames(Map.of("#s", EventItem.SESSION_ID.name())));
                    } catch (ConditionalCheckFailedException dup) {
                        // unique keys: should not happen
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return items / secs;
    }

    private static final AtomicLong SEQ = new AtomicLong();
    private static final JsonNode RAW_PROPERTIES = MAPPER.createObjectNode().put("x", 512).put("y", 300).put("target", "frame-3")
            .put("hitResult", "success");
    private static final long RUN = UUID.randomUUID().getMostSignificantBits();

    /**
     * An item of the events table's shape and size (as the function writes it: no index key, so no index entry), 500
     * events per session.
     */
    private static Map<String, AttributeValue> rawItem(long seq) {
        String session = new UUID(RUN, seq / 500).toString();
        Instant now = Instant.now();
        Map<String, AttributeValue> item = new HashMap<>();
        EventItem.SESSION_ID.put(item, session);
        EventItem.SEQUENCE_NO.put(item, seq);
        EventItem.DEVICE_ID.put(item, "bench-raw");
        EventItem.STORE_ID.put(item, "store-bench");
        EventItem.COUNTRY.put(item, "KR");
        EventItem.EVENT_TYPE.put(item, "tap");
        EventItem.TIMESTAMP.put(item, now);
        EventItem.SCREEN.put(item, "frame_select");
        EventItem.PROPERTIES.put(item, RAW_PROPERTIES);
        EventItem.DAY.put(item, LocalDate.ofInstant(now, ZoneOffset.UTC));
        EventItem.RECEIVED_AT.put(item, now);
        EventItem.EXPIRES_AT.put(item, now.plus(40, ChronoUnit.DAYS).getEpochSecond());
        return item;
    }

    private static Result httpPhase(HttpClient http, int port, String token, int batchSize, int events) throws Exception {
        int batches = events / batchSize;
        ExecutorService pool = Executors.newFixedThreadPool(HTTP_CLIENTS);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong next = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < HTTP_CLIENTS; w++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < batches) {
                    String body = batchBody(batchSize);
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events/batch")).timeout(Duration.ofMinutes(2))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    latencies.add((System.nanoTime() - s) / 1e6);
                    if (r.statusCode() == 503) {
                        refused.incrementAndGet();
                        continue;
                    }
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("batch answered " + r.statusCode() + ": " + r.body());
                    }
                    accepted.addAndGet(MAPPER.readTree(r.body()).get("accepted").asLong());
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(accepted.get() / secs, nearestRank(sorted, 0.50), nearestRank(sorted, 0.99), batches, refused.get(),
                accepted.get(), (long) batches * batchSize);
    }

    private static double nearestRank(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String batchBody(int size) {
        return EventWriteUnits.batch(size).toString();
    }

    private static String registerKiosk(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/devices"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"bench-kiosk\",\"storeId\":\"store-bench\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body()).get("token").asText();
    }

    private static Process startStack(int port, Path log, Map<String, String> env) throws Exception {
        String jar = System.getProperty("local.stack.jar", "infra/local/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TELEMETRY_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        pb.environment().put("TELEMETRY_ADMIN_TOKEN", ADMIN);
        Process p = pb.start();
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("local stack exited: " + Files.readString(log));
            }
            try {
                if (probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("local stack did not start: " + Files.readString(log));
    }

    private static URI dynamoEndpoint(Path log) throws IOException {
        Matcher m = Pattern.compile("DynamoDB Local (http://127\\.0\\.0\\.1:\\d+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("no DynamoDB Local endpoint in the local stack's log");
        }
        return URI.create(m.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
