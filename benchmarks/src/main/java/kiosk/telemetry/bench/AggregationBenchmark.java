package kiosk.telemetry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.aggregate.DailyRollupsTable;
import kiosk.telemetry.aggregate.DailySummariesTable;
import kiosk.telemetry.aggregate.DayAggregation;
import kiosk.telemetry.aggregate.DayReader;
import kiosk.telemetry.aggregate.archive.ArchiveStore;
import kiosk.telemetry.aggregate.archive.ArchiveTable;
import kiosk.telemetry.aggregate.archive.ArchiveWriter;
import kiosk.telemetry.core.store.ArchiveColumn;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.RoundingMode;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One synthetic reporting day (1,000 kiosks, >= 150,000 events and the matching sessions, sales, timings and
 * errors) written through the ingestion functions' table classes into DynamoDB Local, then: (1) the day read raw
 * with the aggregator's parallel Queries and nothing else; (2) the full run (summaries + Parquet archive to the
 * embedded S3); their ratio; peak heap during the full run; archive bytes against the same records as JSON lines.
 * Prints figures; asserts nothing.
 */
public final class AggregationBenchmark {

    private static final int DEVICES = Integer.getInteger("bench.devices", 1_000);
    private static final int SESSIONS_PER_DEVICE = Integer.getInteger("bench.sessionsPerDevice", 20);
    private static final int EVENTS_PER_SESSION = Integer.getInteger("bench.eventsPerSession", 8);
    private static final int WRITERS = Integer.getInteger("bench.writers", 24);
    private static final int READERS = 16; // as the aggregator function
    private static final String AGGREGATOR_THREAD = "aggregator-";
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final String[] STAGES = {"attract", "start", "frame_select", "capture", "edit", "payment", "print", "complete"};
    private static final String[] EVENT_TYPES = {"screen_enter", "tap", "tap", "select", "scroll", "tap", "screen_exit", "back"};
    private static final String[] METHODS = {"card", "card", "mobile", "cash", "qr"};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AggregationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Outside Quarkus nothing configures logging, and the log manager then enables DEBUG everywhere: Parquet's
        // record consumer and the engines' Jetty build a debug string per value (measured with JFR: 30 % of the CPU
        // samples and most of the GC). INFO at the root, as the functions run, before any of those classes load.
        Logger.getLogger("").setLevel(Level.INFO);
        // the aggregation's own phase lines (read/summarise/stage, summaries, publish) on stderr, nothing else
        Logger phases = Logger.getLogger("kiosk.telemetry.aggregate");
        phases.setLevel(Level.INFO);
        phases.addHandler(new ConsoleHandler());
        // In memory by default. -Dbench.data=<dir> keeps the generated day in DynamoDB Local's file store and reuses
        // it on the next run (measured: generating into the file store takes about twice as long).
        String dataProp = System.getProperty("bench.data");
        Path data = dataProp == null || dataProp.isBlank() ? null : Path.of(dataProp);
        Path marker = data == null ? null : data.resolve("generated-day");
        try (TelemetryEngines engines = TelemetryEngines.start(data)) {
            DynamoDbClient dynamo = engines.dynamo().client();
            S3Client s3 = engines.s3().client();
            TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
            LocalDate day;
            if (marker != null && Files.exists(marker)) {
                day = LocalDate.parse(Files.readString(marker).strip());
                System.out.println("reusing the day " + day + " generated in " + data);
            } else {
                day = LocalDate.now(SEOUL).minusDays(2);
                long t0 = System.nanoTime();
                Map<String, Long> written = generate(day, dynamo, config);
                if (marker != null) {
                    Files.writeString(marker, day.toString());
                }
                System.out.printf("generated %s in %.0f s%n", written, (System.nanoTime() - t0) / 1e9);
            }

            // named, so their CPU time (the aggregator's own work, apart from the engines') can be summed
            AtomicLong threadNo = new AtomicLong();
            ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
                Thread t = new Thread(r, AGGREGATOR_THREAD + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Path work = Files.createTempDirectory("aggregation-bench");
            var sources = DayAggregation.Sources.of(config);
            DayReader reader = new DayReader(dynamo, readers);
            var aggregation = new DayAggregation(dynamo, reader, sources,
                    new DailySummariesTable(dynamo, config.tables().dailySummaries(), config.shards().summaries()),
                    new DailyRollupsTable(dynamo, config.tables().dailyRollups()),
                    new ArchiveWriter(new ArchiveStore(s3, config.archive().bucket()), config.archive().stagingPrefix(), work,
                            config.archive().rowGroupBytes()), config.reportingZone());
            List<DayReader.Source> all = List.of(sources.sessions(), sources.sales(), sources.performance(), sources.errors(), sources.events());

            System.out.println("warm-up: one raw read and one full run");
            rawRead(reader, all, day);
            aggregation.aggregate(day, "warm-up", Instant.now());

            int rounds = Integer.getInteger("bench.rounds", 3);
            List<Double> raw = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            List<Double> rawCpu = new ArrayList<>();
            List<Double> fullCpu = new ArrayList<>();
            long peakHeap = 0;
            List<Double> gcSeconds = new ArrayList<>();
            List<Double> rawGcSeconds = new ArrayList<>();
            long records = 0;
            DayAggregation.DayResult result = null;
            for (int r = 1; r <= rounds; r++) {
                long gc = gcMillis();
                long cpu = aggregatorCpuNanos();
                long s = System.nanoTime();
                long n = rawRead(reader, all, day);
                rawGcSeconds.add((gcMillis() - gc) / 1e3);
                raw.add((System.nanoTime() - s) / 1e9);
                rawCpu.add((aggregatorCpuNanos() - cpu) / 1e9);
                records = n;
                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                gc = gcMillis();
                cpu = aggregatorCpuNanos();
                s = System.nanoTime();
                result = aggregation.aggregate(day, "round-" + r, Instant.now());
                full.add((System.nanoTime() - s) / 1e9);
                fullCpu.add((aggregatorCpuNanos() - cpu) / 1e9);
                peakHeap = Math.max(peakHeap, heapPeak());
                gcSeconds.add((gcMillis() - gc) / 1e3);
                System.out.printf("round %d: raw read %d records in %.2f s, full run %.2f s%n", r, n, raw.get(r - 1), full.get(r - 1));
            }
            double rawMedian = median(raw);
            double fullMedian = median(full);
            System.out.println("live heap: one more raw read and full run, untimed, with a full collection every second");
            long[] liveRaw = liveHeap(() -> rawRead(reader, all, day));
            long[] live = liveHeap(() -> aggregation.aggregate(day, "live-heap", Instant.now()));

            long parquetBytes = 0;
            long jsonBytes = 0;
            Map<String, Long> jsonByTable = new TreeMap<>();
            for (DayReader.Source src : all) {
                ArchiveTable t = ArchiveTable.named(src.kind());
                AtomicLong bytes = new AtomicLong();
                reader.read(src, day, item -> bytes.addAndGet(jsonLine(t, item)));
                jsonByTable.put(t.name(), bytes.get());
                jsonBytes += bytes.get();
            }
            Path copies = Files.createDirectories(work.resolve("archive-copy"));
            for (ArchiveTable t : ArchiveTable.ALL) {
                if (t == ArchiveTable.DAILY_SUMMARY) {
                    continue;
                }
                Path dir = Files.createDirectories(copies.resolve(t.name()));
                for (var o : s3.listObjectsV2Paginator(b -> b.bucket(config.archive().bucket()).prefix(t.dayPrefix(day))).contents()) {
                    parquetBytes += o.size();
                    s3.getObject(b -> b.bucket(config.archive().bucket()).key(o.key()), dir.resolve(o.key().substring(o.key().lastIndexOf('/') + 1)));
                }
            }

            System.out.println();
            System.out.printf("Aggregation of one day: %d kiosks, records %s, %d archive objects (median of %d rounds, %d readers, 2 cores, DynamoDB Local + s3proxy)%n",
                    DEVICES, result.records(), result.archivedObjects(), rounds, READERS);
            System.out.println("| measure | value | goal |");
            System.out.println("|---|---:|---|");
            System.out.printf("| raw read of the day (parallel Queries) | %.2f s | |%n", rawMedian);
            System.out.printf("| full run (summaries + Parquet archive + verification) | %.2f s | |%n", fullMedian);
            System.out.printf("| full run / raw read | %.2f | <= 1.5 |%n", fullMedian / rawMedian);
            System.out.printf("| aggregator threads' CPU, raw read | %.2f s (%.0f µs a record) | |%n", median(rawCpu), median(rawCpu) * 1e6 / records);
            System.out.printf("| aggregator threads' CPU, full run | %.2f s (%.0f µs a record) | |%n", median(fullCpu), median(fullCpu) * 1e6 / records);
            System.out.printf("| peak heap during a full run | %d MiB (max heap %d MiB) | bounded |%n", peakHeap >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("| heap after collections, highest (a full collection each second; an upper bound of the live heap, not the live heap), raw read / full run | %d / %d MiB (idle: the engines and their data %d MiB) | |%n",
                    liveRaw[1] >> 20, live[1] >> 20, live[0] >> 20);
            System.out.printf("| GC pauses, raw read / full run | %.2f s / %.2f s | |%n", median(rawGcSeconds), median(gcSeconds));
            System.out.printf("| archive (Parquet, GZIP), raw tables | %.1f MiB | |%n", parquetBytes / 1048576.0);
            System.out.printf("| same records as JSON lines | %.1f MiB | |%n", jsonBytes / 1048576.0);
            System.out.printf("| JSON / Parquet | %.1f | >= 8 |%n", (double) jsonBytes / parquetBytes);
            printWhereTheBytesGo(copies, jsonByTable);
            readers.shutdownNow();
            dynamo.close();
            s3.close();
        }
        System.exit(0);
    }

    /**
     * Per archived table: files, rows, Parquet bytes against JSON bytes, and the columns that take most of the
     * file, from the files' footers (DuckDB's {@code parquet_metadata}); "footers" is what no column chunk holds.
     */
    private static void printWhereTheBytesGo(Path copies, Map<String, Long> jsonByTable) throws Exception {
        System.out.println();
        System.out.println("Where the archive's bytes go (compressed column chunks, from the Parquet footers):");
        System.out.println("| table | files | rows | Parquet bytes | bytes/row | JSON / Parquet | largest columns (bytes/row) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            for (var table : jsonByTable.entrySet()) {
                Path dir = copies.resolve(table.getKey());
                long fileBytes = 0;
                long files = 0;
                try (var list = Files.list(dir)) {
                    for (Path f : list.toList()) {
                        fileBytes += Files.size(f);
                        files++;
                    }
                }
                if (files == 0) {
                    continue;
                }
                String glob = dir.resolve("*.parquet").toString().replace("'", "''");
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                List<String> columns = new ArrayList<>();
                long inChunks = 0;
                try (ResultSet rs = st.executeQuery("SELECT path_in_schema, sum(total_compressed_size) AS b FROM parquet_metadata('" + glob
                        + "') GROUP BY 1 ORDER BY b DESC")) {
                    while (rs.next()) {
                        long b = rs.getLong(2);
                        inChunks += b;
                        if (columns.size() < 5) {
                            columns.add(String.format("%s %.1f", rs.getString(1), (double) b / rows));
                        }
                    }
                }
                columns.add(String.format("footers %.1f", (double) (fileBytes - inChunks) / rows));
                System.out.printf("| %s | %d | %,d | %,d | %.1f | %.1f | %s |%n", table.getKey(), files, rows, fileBytes, (double) fileBytes / rows,
                        (double) table.getValue() / fileBytes, String.join(", ", columns));
            }
        }
    }

    private static long rawRead(DayReader reader, List<DayReader.Source> sources, LocalDate day) {
        long n = 0;
        for (DayReader.Source s : sources) {
            n += reader.read(s, day, item -> { });
        }
        return n;
    }

    /**
     * CPU time of the threads that do the aggregator's work (its reader pool and the main thread); the engines'
     * own threads (DynamoDB Local, s3proxy) are left out, so this is what the function itself would spend.
     */
    private static long aggregatorCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith(AGGREGATOR_THREAD) || t.getThreadName().equals("main"))) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** Total pause time of the collectors so far. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /**
     * The heap in use as the last collection left it, as the collector itself recorded it at its end. (Reading the
     * pools' current usage after {@code System.gc()} returns instead counted whatever 16 busy threads allocated
     * before the reading thread was scheduled again: 397 MiB where a class histogram showed 90–110 MiB live.) This
     * still overstates (young collections' survivors count too): an upper bound, not the live heap.
     */
    private static long heapAfterLastCollection() {
        return sumOverHeapPools(MemoryPoolMXBean::getCollectionUsage);
    }

    /**
     * Runs {@code work} once more, untimed, with a full collection every second. Returns {heap after a collection
     * when idle (the engines and their data), highest heap after a collection during it}: upper bounds of the live heap.
     */
    private static long[] liveHeap(Runnable work) throws InterruptedException {
        System.gc();
        long idle = heapAfterLastCollection();
        AtomicLong highest = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                System.gc();
                highest.accumulateAndGet(heapAfterLastCollection(), Math::max);
            }
        }, "live-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        work.run();
        sampler.interrupt();
        sampler.join();
        return new long[] {idle, highest.get()};
    }

    private static long heapPeak() {
        return sumOverHeapPools(MemoryPoolMXBean::getPeakUsage);
    }

    private static long sumOverHeapPools(Function<MemoryPoolMXBean, MemoryUsage> usage) {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && usage.apply(pool) != null) {
                sum += usage.apply(pool).getUsed();
            }
        }
        return sum;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    /** The record as the API shows it, one JSON line: the archive's columns, nested objects as objects. */
    private static long jsonLine(ArchiveTable table, Map<String, AttributeValue> item) {
        ObjectNode o = F.objectNode();
        for (ArchiveColumn c : table.columns()) {
            if (c.kind() == ArchiveColumn.Kind.STRUCT) {
                ObjectNode g = o.putObject(c.name());
                c.fields().forEach(f -> {
                    AttributeValue v = item.get(f.source());
                    if (v != null && v.n() != null) {
                        g.put(f.name(), new BigDecimal(v.n()).toPlainString());
                    }
                });
                continue;
            }
            AttributeValue v = item.get(c.source());
            if (v == null) {
                continue;
            }
            switch (c.kind()) {
                case JSON -> o.set(c.name(), readTree(v.s()));
                case BIGINT -> o.put(c.name(), Long.parseLong(v.n()));
                case BOOLEAN -> o.put(c.name(), v.bool());
                default -> o.put(c.name(), v.s() != null ? v.s() : v.n());
            }
        }
        return o.toString().getBytes(StandardCharsets.UTF_8).length + 1L;
    }

    private static JsonNode readTree(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> generate(LocalDate day, DynamoDbClient dynamo, TelemetryConfig config) throws Exception {
        ReportingCalendar calendar = new ReportingCalendar(SEOUL);
        IndexPager pager = new IndexPager(dynamo);
        var devices = new DevicesTable(dynamo, config.tables().devices());
        var sessions = new SessionsTable(dynamo, pager, calendar, config);
        var sales = new SalesTable(dynamo, pager, calendar, config);
        var timings = new TimingsTable(dynamo, calendar, config);
        var events = new EventsTable(dynamo, pager, calendar, config);
        var errors = new ErrorStore(dynamo, new ErrorsTable(dynamo, pager, calendar, config), new ErrorGroupsTable(dynamo, pager, config),
                new ConflictRetry(config));
        AtomicLong nSessions = new AtomicLong();
        AtomicLong nSales = new AtomicLong();
        AtomicLong nMetrics = new AtomicLong();
        AtomicLong nEvents = new AtomicLong();
        AtomicLong nErrors = new AtomicLong();
        AtomicLong doneDevices = new AtomicLong();
        Instant open = day.atTime(9, 0).atZone(SEOUL).toInstant();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> jobs = new ArrayList<>();
        long started = System.nanoTime();
        for (int d = 0; d < DEVICES; d++) {
            int device = d;
            jobs.add(pool.submit(() -> {
                Random rnd = new Random(device);
                String id = String.format("kiosk-%04d", device);
                String store = device % 10 == 9 ? null : "store-" + (device / 4);
                Instant now = Instant.now();
                devices.create(new Device(id, store, "grp-" + (device % 20), "KR", "h", now, null, null));
                timings.putIfAbsent(new Metric(UUID.randomUUID().toString(), null, id, store, null, "KR", "app_start", open.minusSeconds(600),
                        2000 + rnd.nextInt(3000), true, null, null, now));
                nMetrics.incrementAndGet();
                for (int s = 0; s < SESSIONS_PER_DEVICE; s++) {
                    Instant start = open.plusSeconds(s * 1800L + rnd.nextInt(600));
                    String sessionId = UUID.randomUUID().toString();
                    String version = rnd.nextInt(4) == 0 ? "3.1.9" : "3.2.0";
                    sessions.create(new Session(sessionId, id, store, null, "KR", start, version, null, "started", 0, null, null, null, null, start, start));
                    int reached = 1 + rnd.nextInt(STAGES.length);
                    ObjectNode funnel = F.objectNode();
                    var stages = funnel.putArray("stages");
                    for (int k = 0; k < reached; k++) {
                        stages.addObject().put("stage", STAGES[k]).put("enteredAt", start.plusSeconds(k * 20L).toString());
                    }
                    boolean completed = reached == STAGES.length;
                    if (!completed) {
                        funnel.put("exitStage", STAGES[reached]);
                    }
                    ObjectNode behavior = F.objectNode().put("totalTaps", 5 + rnd.nextInt(40)).put("totalScrolls", rnd.nextInt(5))
                            .put("selectionChanges", rnd.nextInt(8));
                    Instant end = start.plusSeconds(60 + rnd.nextInt(240));
                    sessions.applyPatch(sessionId, new SessionPatch(1, completed ? "completed" : "abandoned", SessionPatch.Change.to(end),
                            SessionPatch.Change.absent(), SessionPatch.Change.to(funnel), SessionPatch.Change.to(behavior)), 0, end);
                    nSessions.incrementAndGet();
                    for (int e = 0; e < EVENTS_PER_SESSION; e++) {
                        ObjectNode props = F.objectNode().put("x", rnd.nextInt(1080)).put("y", rnd.nextInt(1920)).put("target", "button-" + rnd.nextInt(12));
                        events.putIfAbsent(new Event(sessionId, e, id, store, null, "KR", EVENT_TYPES[e % EVENT_TYPES.length],
                                start.plusSeconds(e * 7L), STAGES[Math.min(e / 2, reached - 1)], props, now));
                        nEvents.incrementAndGet();
                    }
                    for (String type : new String[]{"capture", "render", "print"}) {
                        timings.putIfAbsent(new Metric(UUID.randomUUID().toString(), sessionId, id, store, null, "KR", type, start.plusSeconds(90),
                                500 + rnd.nextInt(4000), rnd.nextInt(50) != 0, F.objectNode().put("shutter", 100 + rnd.nextInt(100)),
                                F.objectNode().put("memoryMb", 600 + rnd.nextInt(400)), now));
                        nMetrics.incrementAndGet();
                    }
                    if (completed || rnd.nextInt(3) == 0) {
                        BigDecimal gross = BigDecimal.valueOf(8000 + 1000L * rnd.nextInt(5));
                        BigDecimal discount = BigDecimal.valueOf(500L * rnd.nextInt(3));
                        BigDecimal tax = gross.subtract(discount).divide(BigDecimal.valueOf(11), 0, RoundingMode.DOWN);
                        Instant soldAt = start.plusSeconds(150);
                        sales.create(new Sale(UUID.randomUUID().toString(), sessionId, id, store, null, "KR", soldAt, "KRW",
                                METHODS[rnd.nextInt(METHODS.length)], new Sale.Amounts(gross, discount, tax, gross.subtract(discount).subtract(tax), null),
                                null, calendar.dimensionOf(soldAt), soldAt));
                        nSales.incrementAndGet();
                    }
                    if (rnd.nextInt(10) == 0) {
                        errors.record(new ErrorReport(UUID.randomUUID().toString(), sessionId, id, store, null, "KR", start.plusSeconds(100),
                                "error", "hardware", "PRINTER_JAM", "Printer jam at tray " + rnd.nextInt(3), null, null, null,
                                "fp-printer-jam-" + rnd.nextInt(5), now));
                        nErrors.incrementAndGet();
                    }
                }
                long done = doneDevices.incrementAndGet();
                if (done % (DEVICES / 10) == 0) {
                    System.out.printf("  generating: %d/%d kiosks, %d events, %.0f s%n", done, DEVICES, nEvents.get(), (System.nanoTime() - started) / 1e9);
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        pool.shutdown();
        return Map.of("sessions", nSessions.get(), "sales", nSales.get(), "performance", nMetrics.get(), "events", nEvents.get(), "errors", nErrors.get());
    }
}
