package kiosk.telemetry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.errors.ConflictRetry;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorRequest;
import kiosk.telemetry.errors.ErrorService;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import kiosk.telemetry.events.EventBatchService;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.performance.LegacyMetricsTable;
import kiosk.telemetry.performance.TimingsTable;
import kiosk.telemetry.performance.PerformanceService;
import kiosk.telemetry.session.NewSessionRequest;
import kiosk.telemetry.session.SessionPatchRequest;
import kiosk.telemetry.session.SessionService;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.session.sale.SaleRequest;
import kiosk.telemetry.session.sale.SaleService;
import kiosk.telemetry.session.sale.SalesTable;
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
 * What {@code /api/insights/today}'s running totals add to the write bill: a day of kiosk traffic goes through the
 * ingest functions' own services (configured as deployed) on DynamoDB Local, every write with
 * {@code ReturnConsumedCapacity=INDEXES}, and the units are summed per table. The running totals' share is the
 * LiveTotals table's units against all the others', per event and as a ratio (goal: ≤ 10 % more write units).
 * <p>
 * Each session, as the simulator's kiosks send it: a POST, a PATCH to {@code in_progress} and one to its end
 * ({@code completed} or {@code abandoned}), {@code -Dbench.eventsPerSession} events in one batch, four timings in one
 * batch (the first session's batch also carries the kiosk's app start, outside any session), a sale for every second
 * session and an error for every fifth.
 */
public final class TodayWriteUnits {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TodayWriteUnits() {
    }

    public static void main(String[] args) throws Exception {
        int kiosks = Integer.getInteger("bench.kiosks", 20);
        int sessionsPerKiosk = Integer.getInteger("bench.sessionsPerKiosk", 10);
        int eventsPerSession = Integer.getInteger("bench.eventsPerSession", 30);
        TelemetryEngines engines = args.length > 0 ? null : TelemetryEngines.start(null);
        URI endpoint = engines != null ? engines.dynamo().endpoint() : URI.create(args[0]);
        ConsumedUnits consumed = new ConsumedUnits();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.builder().maxConnections(16).build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(consumed)).build()) {
            TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
            Clock clock = Clock.systemUTC();
            ReportingCalendar calendar = new ReportingCalendar(config.reportingZone());
            IndexPager pager = new IndexPager(dynamo);
            Emf emf = new Emf("KioskTelemetry", "bench", clock, line -> { });
            LiveTotals live = new LiveTotals(new LiveTotalsTable(dynamo, config), calendar, clock, emf, config.live().markCache());
            LateDataMarks lateMarks = new LateDataMarks(new DayMarksTable(dynamo, config), calendar, clock);
            SessionOwners owners = new SessionOwners(dynamo, config);
            Binder binder = Binder.standalone(config, clock);
            BatchIngest batches = new BatchIngest(binder, owners, new ConditionalBatchWriter(config), lateMarks, calendar, clock, config, emf, live);
            SessionService sessions = new SessionService(new SessionsTable(dynamo, pager, calendar, config), clock, calendar, config, lateMarks, emf, live);
            SaleService sales = new SaleService(new SalesTable(dynamo, pager, calendar, config), owners, clock, calendar, config, lateMarks, live);
            ErrorsTable errorsTable = new ErrorsTable(dynamo, pager, calendar, config);
            ErrorGroupsTable groups = new ErrorGroupsTable(dynamo, pager, config);
            ErrorService errors = new ErrorService(new ErrorStore(dynamo, errorsTable, groups, new ConflictRetry(config)), errorsTable, groups,
                    owners, new ConditionalBatchWriter(config), lateMarks, calendar, clock, config, live);
            EventBatchService events = new EventBatchService(new EventsTable(dynamo, pager, calendar, config), batches, calendar, clock, config);
            PerformanceService timings = new PerformanceService(new TimingsTable(dynamo, calendar, config), new LegacyMetricsTable(dynamo, calendar, config), batches, owners, lateMarks,
                    calendar, clock, config, live);

            long storedEvents = 0;
            long storedTimings = 0;
            int n = 0;
            for (int k = 0; k < kiosks; k++) {
                Device kiosk = new Device("today-units-" + k, "store-" + (k % 5), "grp-" + (k % 2), "KR", "h", Instant.EPOCH, null, null);
                for (int s = 0; s < sessionsPerKiosk; s++, n++) {
                    Instant start = clock.instant().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS);
                    String id = UUID.randomUUID().toString();
                    sessions.create(kiosk, binder.bind(json("{\"sessionId\":\"" + id + "\",\"startedAt\":\"" + start + "\"}"), NewSessionRequest.class));
                    sessions.update(kiosk, id, binder.bind(json("{\"seq\":1,\"status\":\"in_progress\"}"), SessionPatchRequest.class));
                    storedEvents += events.ingest(kiosk, events(id, start, eventsPerSession)).accepted();
                    storedTimings += timings.recordBatch(kiosk, timings(id, start, s == 0)).accepted();
                    if (n % 2 == 0) {
                        sales.create(kiosk, binder.bind(json("{\"saleId\":\"" + UUID.randomUUID() + "\",\"sessionId\":\"" + id + "\",\"soldAt\":\""
                                + start.plusSeconds(200) + "\",\"currency\":\"KRW\",\"paymentMethod\":\"card\",\"amounts\":{\"gross\":10000,"
                                + "\"discount\":1000,\"tax\":818,\"net\":8182}}"), SaleRequest.class));
                    }
                    if (n % 5 == 0) {
                        errors.report(kiosk, binder.bind(json("{\"errorId\":\"" + UUID.randomUUID() + "\",\"sessionId\":\"" + id + "\",\"timestamp\":\""
                                + start.plusSeconds(100) + "\",\"severity\":\"error\",\"category\":\"hardware\",\"code\":\"PRINTER_JAM\","
                                + "\"message\":\"jam\"}"), ErrorRequest.class));
                    }
                    sessions.update(kiosk, id, binder.bind(json("{\"seq\":2,\"status\":\"" + (n % 2 == 0 ? "completed" : "abandoned")
                            + "\",\"endedAt\":\"" + start.plusSeconds(240) + "\"}"), SessionPatchRequest.class));
                }
            }
            Map<String, Double> units = consumed.units();
            String liveTable = config.tables().liveTotals();
            double liveUnits = units.getOrDefault(liveTable, 0.0);
            double others = units.values().stream().mapToDouble(Double::doubleValue).sum() - liveUnits;
            long eventCount = storedEvents;
            Map<String, String> perEvent = new TreeMap<>();
            units.forEach((t, u) -> perEvent.put(t, String.format("%.4f", u / eventCount)));
            System.out.printf("today's running totals, %d kiosks x %d sessions (%d events each, %,d events): write units per event %s%n",
                    kiosks, sessionsPerKiosk, eventsPerSession, storedEvents, perEvent);
            System.out.printf("running totals: %.4f units per event, %.4f without them; extra = %.1f %% (goal <= 10 %%); refused writes %s%n",
                    liveUnits / storedEvents, others / storedEvents, 100 * liveUnits / others, consumed.refused());
            System.out.printf("timings: %.4f write units per timing in %s (%,d timings; their session-day entry is the events' one), "
                            + "refused writes per timing %.4f%n", units.getOrDefault(config.tables().timings(), 0.0) / storedTimings,
                    config.tables().timings(), storedTimings, consumed.refused().getOrDefault(config.tables().timings(), 0.0) / storedTimings);
        } finally {
            if (engines != null) {
                engines.close();
            }
        }
        System.exit(0);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text);
    }

    private static ObjectNode events(String session, Instant start, int count) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode list = body.putArray("events");
        for (int i = 0; i < count; i++) {
            list.addObject().put("sessionId", session).put("sequenceNo", i).put("eventType", i % 10 == 0 ? "screen_enter" : "tap")
                    .put("timestamp", start.plusMillis(1000L * i).toString()).put("screen", "frame_select");
        }
        return body;
    }

    /** A session's four timings, after the kiosk's app start (outside any session) when {@code appStart}. */
    private static ObjectNode timings(String session, Instant start, boolean appStart) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode list = body.putArray("metrics");
        if (appStart) {
            list.addObject().put("metricId", UUID.randomUUID().toString()).put("metricType", "app_start")
                    .put("timestamp", start.minusSeconds(60).toString()).put("durationMs", 4000);
        }
        String[] types = {"capture", "render", "print", "payment"};
        for (int i = 0; i < types.length; i++) {
            list.addObject().put("metricId", UUID.randomUUID().toString()).put("sessionId", session).put("metricType", types[i])
                    .put("timestamp", start.plusSeconds(10L * i).toString()).put("durationMs", 500 + 100 * i);
        }
        return body;
    }
}
