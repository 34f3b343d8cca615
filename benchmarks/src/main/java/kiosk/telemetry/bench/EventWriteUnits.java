package kiosk.telemetry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.events.EventBatchService;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.engines.TelemetryEngines;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Write capacity per event of the event function's write path, as DynamoDB reports it: every write the function's
 * own classes ({@link EventBatchService} and what it uses, configured as deployed) make for batches of events is
 * sent with {@code ReturnConsumedCapacity=INDEXES}, and the {@code ConsumedCapacity} answered (table and index
 * units) is summed per table and divided by the events stored. Measured on the same DynamoDB Local as the other
 * phases, after them; the HTTP layer adds no writes.
 */
public final class EventWriteUnits {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Units consumed per table by the first sending (every event new), and by sending every batch again: units
     * reported, and writes refused by their condition, which DynamoDB bills (at least one unit each) but reports
     * no {@code ConsumedCapacity} for.
     */
    public record Figures(int batchSize, long stored, long resent, Map<String, Double> unitsByTable, Map<String, Double> resendUnitsByTable,
                          Map<String, Double> resendRefusedByTable) {

        public double perEvent() {
            return unitsByTable.values().stream().mapToDouble(Double::doubleValue).sum() / stored;
        }

        /** One line for the benchmark's output. */
        public String line() {
            return String.format("write units per event (ReturnConsumedCapacity=INDEXES, new sessions, batches of %d, %,d events): %.3f %s"
                            + " (goal <= 1.1); each batch sent again: %s units, %s refused conditional writes per event",
                    batchSize, stored, perEvent(), perTable(unitsByTable, stored), perTable(resendUnitsByTable, resent),
                    perTable(resendRefusedByTable, resent));
        }

        private static String perTable(Map<String, Double> units, long events) {
            Map<String, String> out = new TreeMap<>();
            units.forEach((t, u) -> out.put(t, String.format("%.3f", u / events)));
            return out.toString();
        }
    }

    private EventWriteUnits() {
    }

    /** Sends {@code batches} batches of {@code batchSize} new events (one session each), then each batch again. */
    public static Figures measure(URI dynamoEndpoint, int batchSize, int batches) {
        ConsumedUnits consumed = new ConsumedUnits();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(dynamoEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.builder().maxConnections(64).build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(consumed)).build()) {
            TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
            Clock clock = Clock.systemUTC();
            ReportingCalendar calendar = new ReportingCalendar(config.reportingZone());
            var batchIngest = new BatchIngest(Binder.standalone(config, clock), new SessionOwners(dynamo, config),
                    new ConditionalBatchWriter(config.batch().writeConcurrency(), config.batch().writeDeadline()),
                    new LateDataMarks(new DayMarksTable(dynamo, config), calendar, clock), calendar, clock, config,
                    new Emf("KioskTelemetry", "bench", clock, line -> { }),
                    new LiveTotals(new LiveTotalsTable(dynamo, config), calendar, clock, new Emf("KioskTelemetry", "bench", clock, line -> { }),
                            config.live().markCache()));
            var service = new EventBatchService(new EventsTable(dynamo, new IndexPager(dynamo), calendar, config), batchIngest, calendar, clock, config);
            Device kiosk = new Device("bench-units", "store-bench", null, "KR", "h", Instant.now(), null, null);

            ObjectNode[] bodies = new ObjectNode[batches];
            long stored = 0;
            for (int b = 0; b < batches; b++) {
                bodies[b] = batch(batchSize);
                stored += service.ingest(kiosk, bodies[b]).accepted();
            }
            Map<String, Double> first = consumed.units();
            consumed.clear();
            long resent = 0;
            for (ObjectNode body : bodies) {
                resent += service.ingest(kiosk, body).duplicates();
            }
            if (stored != (long) batches * batchSize || resent != stored) {
                throw new IllegalStateException("stored " + stored + ", resent as duplicates " + resent + " of " + (long) batches * batchSize);
            }
            return new Figures(batchSize, stored, resent, first, consumed.units(), consumed.refused());
        }
    }

    /** Events as the ingest benchmark's HTTP phases send them: one new session per batch, a minute old. */
    static ObjectNode batch(int size) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("events");
        String session = UUID.randomUUID().toString();
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < size; i++) {
            ObjectNode e = arr.addObject();
            e.put("sessionId", session).put("sequenceNo", i).put("eventType", i % 10 == 0 ? "screen_enter" : "tap")
                    .put("timestamp", t.plusMillis(i).toString()).put("screen", "frame_select");
            e.putObject("properties").put("x", 512).put("y", 300).put("target", "frame-3").put("hitResult", "success");
        }
        return body;
    }

    /**
     * The measurement alone, for batches of 1, 10, 50 and 500: against {@code args[0]}, a DynamoDB Local endpoint whose
     * tables exist, or else on embedded engines of its own.
     */
    public static void main(String[] args) {
        TelemetryEngines engines = args.length > 0 ? null : TelemetryEngines.start(null);
        URI endpoint = engines != null ? engines.dynamo().endpoint() : URI.create(args[0]);
        for (int size : new int[]{1, 10, 50, 500}) {
            System.out.println(measure(endpoint, size, Math.max(4, 2000 / size)).line());
        }
        System.exit(0);
    }
}
