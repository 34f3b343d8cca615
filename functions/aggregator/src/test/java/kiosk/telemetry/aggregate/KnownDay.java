package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.aggregate.archive.ArchiveStore;
import kiosk.telemetry.aggregate.archive.ArchiveWriter;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.SessionTimeouts;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.errors.ConflictRetry;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorReport;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.performance.Metric;
import kiosk.telemetry.performance.TimingsTable;
import kiosk.telemetry.session.Session;
import kiosk.telemetry.session.SessionPatch;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.session.sale.Sale;
import kiosk.telemetry.session.sale.SalesTable;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;


/**
 * One reporting day of records with known answers, written through the ingestion functions' own table classes
 * into fresh embedded engines, and the aggregation (summaries and archive) wired as in the function.
 */
final class KnownDay implements AutoCloseable {

    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** The reporting day of the tests' "now" ({@link TestTime#START}), from which each test counts its days. */
    static final LocalDate TODAY = LocalDate.ofInstant(TestTime.START, SEOUL);
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    final LocalDate day;
    final TelemetryEngines engines;
    final DynamoDbClient dynamo;
    final S3Client s3;
    final TelemetryConfig config;
    final ReportingCalendar calendar;
    final DailySummariesTable summaries;
    final DayAggregation.Sources sources;
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final Path workDir;

    static Instant kst(LocalDate d, int h, int m) {
        return d.atTime(LocalTime.of(h, m)).atZone(SEOUL).toInstant();
    }

    KnownDay(LocalDate day) {
        this(day, true);
    }

    /** Fresh engines and the aggregation's wiring without the known day's records, for tests that write their own. */
    static KnownDay withoutRecords(LocalDate day) {
        return new KnownDay(day, false);
    }

    private KnownDay(LocalDate day, boolean withRecords) {
        this.day = day;
        engines = TelemetryEngines.start(null);
        dynamo = engines.dynamo().client();
        s3 = engines.s3().client();
        config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
        calendar = new ReportingCalendar(SEOUL);
        try {
            workDir = Files.createTempDirectory("known-day");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        summaries = new DailySummariesTable(dynamo, config.tables().dailySummaries(), config.shards().summaries());
        sources = DayAggregation.Sources.of(config);
        if (withRecords) {
            writeRecords();
        }
    }

    private void writeRecords() {
        IndexPager pager = new IndexPager(dynamo);
        Instant now = TestTime.START;

        var devices = new DevicesTable(dynamo, config.tables().devices());
        devices.create(Registry.device("kiosk-a", "store-12", "grp-seoul", "KR", now));
        devices.create(Registry.device("kiosk-b", null, null, null, now));

        var sessions = new SessionsTable(dynamo, pager, calendar, config);
        String first = session(sessions, "kiosk-a", "3.2.0", kst(day, 10, 0), "completed", kst(day, 10, 3),
                funnel(List.of("attract", "start", "frame_select", "capture", "edit", "payment", "print", "complete"), null),
                behavior(10, 2, 3));
        session(sessions, "kiosk-a", "3.2.0", kst(day, 11, 0), "abandoned", kst(day, 11, 1),
                funnel(List.of("attract", "start"), "frame_select"), behavior(4, 0, 1));
        session(sessions, "kiosk-a", null, kst(day, 12, 0), null, null, null, null);
        session(sessions, "kiosk-a", null, kst(day, 23, 59), "completed", kst(day.plusDays(1), 0, 3),  // across midnight: day of its start
                funnel(List.of("attract", "start"), null), null);
        session(sessions, "kiosk-a", null, kst(day.minusDays(1), 23, 58), "completed", kst(day, 0, 5), null, null); // the day before
        session(sessions, "kiosk-b", "3.1.9", kst(day, 9, 0), "completed", kst(day, 9, 2), null, null);

        var sales = new SalesTable(dynamo, pager, calendar, config);
        sale(sales, calendar, kst(day, 10, 2), "KRW", "card", "10000", "1000", "818", "8182", "5000");
        sale(sales, calendar, kst(day, 11, 30), "KRW", "cash", "5000", "0", "455", "4545", null);
        sale(sales, calendar, kst(day, 14, 0), "USD", "card", "12.50", "0.50", "1.00", "11.00", null);
        sale(sales, calendar, kst(day.plusDays(1), 0, 1), "KRW", "card", "99999", "0", "0", "99999", null); // next day

        // 100 captures of 10..1000 ms: the first 50 in the 3.2.0 session, the rest without a session
        var timings = new TimingsTable(dynamo, calendar, config);
        for (int i = 1; i <= 100; i++) {
            timings.putIfAbsent(new Metric(UUID.randomUUID().toString(), i <= 50 ? first : null, "kiosk-a", "store-12", null, "KR", "capture",
                    kst(day, 13, 0).plusSeconds(i), i * 10L, i > 3, null, null, now));
        }
        timings.putIfAbsent(new Metric(UUID.randomUUID().toString(), null, "kiosk-a", null, null, null, "print", kst(day, 13, 5), 7000, false, null, null, now));

        var store = new ErrorStore(dynamo, new ErrorsTable(dynamo, pager, calendar, config), new ErrorGroupsTable(dynamo, pager, config),
                new ConflictRetry(config));
        error(store, kst(day, 15, 0), "warning", "hardware", "0123456789abcdef0001");
        error(store, kst(day, 15, 5), "error", "network", "0123456789abcdef0002");

        var events = new EventsTable(dynamo, pager, calendar, config);
        String s = UUID.randomUUID().toString();
        String[] types = {"tap", "tap", "tap", "tap", "tap", "scroll", "scroll", "screen_enter"};
        for (int i = 0; i < types.length; i++) {
            events.putIfAbsent(new Event(s, i, "kiosk-a", null, null, null, types[i], kst(day, 16, i), null, null, now));
        }
        events.putIfAbsent(new Event(UUID.randomUUID().toString(), 0, "kiosk-b", null, null, null, "tap", kst(day, 9, 1), null, null, now));
    }

    /** The aggregation as the function wires it, archiving through {@code s3}. */
    DayAggregation aggregation(S3Client through) {
        var archives = new ArchiveWriter(new ArchiveStore(through, config.archive().bucket()), config.archive().stagingPrefix(), workDir,
                config.archive().rowGroupBytes());
        return new DayAggregation(dynamo, new DayReader(dynamo, pool), sources, summaries, new DailyRollupsTable(dynamo, config.tables().dailyRollups()),
                archives, config.reportingZone());
    }

    DayAggregation aggregation() {
        return aggregation(s3);
    }

    /** A manual run's body as the route binds it. */
    static Bound<AggregateRequest> aggregate(ObjectNode body) {
        TelemetryConfig defaults = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        return Binder.standalone(defaults, TestTime.clock()).bind(body, AggregateRequest.class);
    }

    /** The run service as the function wires it (no settle wait, runs executed by the test), archiving through {@code through}. */
    RunService runService(Clock clock, S3Client through, java.util.function.Consumer<String> metricLines) {
        RunService runs = new RunService(new AggregationRunsTable(dynamo, new IndexPager(dynamo), config.tables().aggregationRuns()),
                new DayMarksTable(dynamo, config), aggregation(through), calendar, clock,
                new RunService.Timing(Duration.ZERO, config.aggregation().lease(), config.rawRetention(), config.aggregation().maxDays()),
                new Emf("KioskTelemetry", "telemetry-aggregator", clock, metricLines),
                new SessionTimeouts(dynamo, config.tables().sessions(), config.shards().sessions()));
        runs.launchWith(runId -> { });
        return runs;
    }

    /** Every object in the archive bucket, by key, with its bytes. */
    Map<String, byte[]> archiveObjects() {
        Map<String, byte[]> out = new TreeMap<>();
        String bucket = config.archive().bucket();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o ->
                out.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()));
        return out;
    }

    /** The archive copied to a local folder, laid out as in the bucket (what DuckDB reads in tests). */
    Path downloadArchive() {
        try {
            Path dir = Files.createTempDirectory(workDir, "archive");
            for (var e : archiveObjects().entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        dynamo.close();
        s3.close();
        engines.close();
    }

    static String session(SessionsTable t, String device, String appVersion, Instant start, String status, Instant end, JsonNode funnel, JsonNode behavior) {
        String id = UUID.randomUUID().toString();
        t.create(new Session(id, device, null, null, null, start, appVersion, null, "started", 0, null, null, null, null, start, start));
        if (status != null) {
            t.applyPatch(id, new SessionPatch(1, status, end == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(end),
                    SessionPatch.Change.absent(), funnel == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(funnel),
                    behavior == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(behavior)), 0, start);
        }
        return id;
    }

    static JsonNode funnel(List<String> stages, String exit) {
        ObjectNode f = F.objectNode();
        var arr = f.putArray("stages");
        stages.forEach(st -> arr.addObject().put("stage", st));
        if (exit != null) {
            f.put("exitStage", exit);
        }
        return f;
    }

    static JsonNode behavior(long taps, long scrolls, long selections) {
        return F.objectNode().put("totalTaps", taps).put("totalScrolls", scrolls).put("selectionChanges", selections);
    }

    static void sale(SalesTable t, ReportingCalendar cal, Instant at, String currency, String method,
                             String gross, String discount, String tax, String net, String margin) {
        t.create(new Sale(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "kiosk-a", "store-12", null, "KR", at,
                currency, method, new Sale.Amounts(new BigDecimal(gross), new BigDecimal(discount), new BigDecimal(tax),
                new BigDecimal(net), margin == null ? null : new BigDecimal(margin)), null, cal.dimensionOf(at), at));
    }

    static void error(ErrorStore store, Instant at, String severity, String category, String fingerprint) {
        store.record(new ErrorReport(UUID.randomUUID().toString(), null, "kiosk-a", null, null, null, at, severity, category,
                "C", "m", null, null, null, fingerprint, at));
    }

}
