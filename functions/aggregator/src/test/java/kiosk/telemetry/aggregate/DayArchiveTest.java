package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kiosk.telemetry.aggregate.archive.ArchiveTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Parquet archive of a day with known answers: what lands in S3, re-runs, stale files, a failing S3. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DayArchiveTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(3);
    /** When the runs of the tests below start: the nightly run's time after DAY. */
    private static final Instant RUNS_AT = KnownDay.kst(DAY.plusDays(1), 0, 5);

    private static KnownDay known;
    private static DayAggregation.DayResult result;
    private static Map<String, byte[]> published;

    @BeforeAll
    static void aggregateTheDay() {
        known = new KnownDay(DAY);
        result = known.aggregation().aggregate(DAY, "run-1", Instant.parse("2026-01-01T00:00:00Z"));
        published = known.archiveObjects();
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    @Test
    @Order(1)
    void everyTable_hasParquetFilesInItsDayFolder_andNothingIsLeftInStaging() {
        Set<String> folders = published.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/') + 1)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = ArchiveTable.ALL.stream().map(t -> t.dayPrefix(DAY)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, folders);
        published.forEach((key, bytes) -> {
            assertTrue(key.matches("[a-z_]+/dt=" + DAY + "/part-\\d{5}\\.parquet"), key);
            assertEquals("PAR1", new String(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length)), key + " ends with the Parquet magic");
        });
        assertEquals(published.size(), result.archivedObjects());
    }

    @Test
    @Order(1)
    void theArchiveWasWrittenWithoutHadoop_asInTheFunction() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"),
                "hadoop-common is compile-only; the writer must not need it at run time");
    }

    @Test
    @Order(2)
    void archiveRowCounts_equalSourceCounts_withTheApiColumnsAndTypes() throws Exception {
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            assertEquals(5, sql.count("SELECT count(*) FROM sessions"));
            assertEquals(3, sql.count("SELECT count(*) FROM sales"));
            assertEquals(101, sql.count("SELECT count(*) FROM performance"));
            assertEquals(2, sql.count("SELECT count(*) FROM errors"));
            assertEquals(9, sql.count("SELECT count(*) FROM events"));
            assertEquals(2, sql.count("SELECT count(*) FROM daily_summary"));
            assertEquals(Map.of("sessions", 5L, "sales", 3L, "performance", 101L, "errors", 2L, "events", 9L), Map.copyOf(result.records()));

            // amounts are exact DECIMAL(18,2), times UTC instants, dt the reporting day
            assertEquals(List.of(List.of("DECIMAL(18,2)", "TIMESTAMP WITH TIME ZONE", "VARCHAR")),
                    sql.rows("SELECT DISTINCT typeof(amounts.net), typeof(soldAt), typeof(dt) FROM sales"));
            assertEquals(new BigDecimal("8182.00"), new BigDecimal(sql.rows(
                    "SELECT amounts.net FROM sales WHERE paymentMethod = 'card' AND currency = 'KRW'").get(0).get(0)));
            assertEquals(List.of(List.of("12.50", "0.50", "1.00", "11.00", "null")), sql.rows(
                    "SELECT amounts.gross, amounts.discount, amounts.tax, amounts.net, amounts.margin FROM sales WHERE currency = 'USD'"));
            assertEquals(KnownDay.kst(DAY, 14, 0).toEpochMilli(), sql.count(
                    "SELECT epoch_ms(soldAt) FROM sales WHERE currency = 'USD'"));
            assertEquals(DAY.toString(), sql.rows("SELECT DISTINCT dt FROM sessions").get(0).get(0));
            // the session across midnight is on the day of its start; the one from the day before is not here
            assertEquals(KnownDay.kst(DAY.plusDays(1), 0, 3).toEpochMilli(), sql.count(
                    "SELECT epoch_ms(endedAt) FROM sessions WHERE epoch_ms(startedAt) = " + KnownDay.kst(DAY, 23, 59).toEpochMilli()));
            assertEquals(0, sql.count("SELECT count(*) FROM sessions WHERE startedAt < TIMESTAMPTZ '" + KnownDay.kst(DAY, 0, 0) + "'"));
            // nested objects are JSON text; daily summaries carry everything but aggregatedAt
            assertEquals("{\"totalTaps\":10,\"totalScrolls\":2,\"selectionChanges\":3}",
                    sql.rows("SELECT behavior FROM sessions WHERE status = 'completed' AND behavior IS NOT NULL").get(0).get(0));
            assertEquals(List.of(List.of("kiosk-a", "store-12", "4"), List.of("kiosk-b", "unknown", "1")), sql.rows(
                    "SELECT deviceId, storeId, json_extract_string(sessions, '$.total') FROM daily_summary ORDER BY deviceId"));
            assertTrue(sql.rows("DESCRIBE daily_summary").stream().noneMatch(r -> r.get(0).equals("aggregatedAt")));
        }
    }

    @Test
    @Order(2)
    void dailySummary_hasTypedFigures_besideItsJson() throws Exception {
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            assertEquals(List.of(List.of("BIGINT", "BIGINT", "DOUBLE", "MAP(VARCHAR, DECIMAL(18,2))")), sql.rows(
                    "SELECT DISTINCT typeof(sessionsTotal), typeof(sessionsInProgress), typeof(conversionRate), typeof(net) FROM daily_summary"));
            // kiosk-a: 4 sessions started that day (2 completed, 1 abandoned, 1 never updated), sales KRW 8182 + 4545 and
            // USD 11; kiosk-b: 1 completed session, no sale
            assertEquals(List.of(
                    List.of("kiosk-a", "4", "1", "0", "2", "1", "0", "0", "0.5", "2", "12727.00", "11.00"),
                    List.of("kiosk-b", "1", "0", "0", "1", "0", "0", "0", "1.0", "0", "null", "null")), sql.rows(
                    "SELECT deviceId, sessionsTotal, sessionsStarted, sessionsInProgress, sessionsCompleted, sessionsAbandoned, "
                            + "sessionsTimeout, sessionsError, conversionRate, cardinality(net), net['KRW'], net['USD'] "
                            + "FROM daily_summary ORDER BY deviceId"));
            assertEquals(0, sql.count("SELECT count(*) FROM daily_summary WHERE net IS NULL"), "no sales is an empty map");
        }
    }

    @Test
    @Order(3)
    void aRerun_writesByteIdenticalFiles_andRemovesStaleOnes() {
        String bucket = known.config.archive().bucket();
        String stale = ArchiveTable.SESSIONS.dayPrefix(DAY) + "part-09999.parquet";
        known.s3.putObject(b -> b.bucket(bucket).key(stale), RequestBody.fromString("left by an older layout"));

        var again = known.aggregation().aggregate(DAY, "run-2", Instant.parse("2026-02-02T00:00:00Z"));

        Map<String, byte[]> now = known.archiveObjects();
        assertEquals(published.keySet(), now.keySet(), "the same files, and the stale one gone");
        published.forEach((key, bytes) -> assertArrayEquals(bytes, now.get(key), key + " is byte-identical"));
        assertEquals(result.archivedObjects(), again.archivedObjects());
    }

    @Test
    @Order(4)
    void aDayWithoutRecords_hasNoFiles_evenIfSomeWereThere() {
        LocalDate empty = DAY.minusDays(5);
        String bucket = known.config.archive().bucket();
        known.s3.putObject(b -> b.bucket(bucket).key(ArchiveTable.EVENTS.dayPrefix(empty) + "part-00003.parquet"), RequestBody.fromString("x"));

        var r = known.aggregation().aggregate(empty, "run-empty", RUNS_AT);

        assertEquals(0, r.devices());
        assertEquals(0, r.archivedObjects());
        assertTrue(known.archiveObjects().keySet().stream().noneMatch(k -> k.contains("dt=" + empty)));
    }

    @Test
    @Order(5)
    void aFailingS3Write_failsTheRun_publishesNothing_andTheNextRunRepairsIt() throws Exception {
        // a late event for the day, then a run whose third upload fails
        new EventsTable(known.dynamo, new IndexPager(known.dynamo), known.calendar, known.config).putIfAbsent(new Event(
                UUID.randomUUID().toString(), 0, "kiosk-b", null, null, null, "tap", KnownDay.kst(DAY, 17, 0), null, null, RUNS_AT));
        Map<String, byte[]> before = known.archiveObjects();
        FailingS3 failing = new FailingS3(known.s3, 3);
        RunService runs = known.runService(new TestClock(RUNS_AT), failing, line -> { });

        var started = runs.startManual(KnownDay.aggregate(JsonNodeFactory.instance.objectNode().put("date", DAY.toString())));
        AggregationRun run = runs.execute(started.runId());

        assertEquals("failed", run.status());
        AggregationRun.Day day = run.days().get(0);
        assertEquals("failed", day.status());
        assertTrue(day.error().contains("injected failure of PutObject"), day.error());
        assertTrue(failing.puts() >= 3);
        Map<String, byte[]> after = known.archiveObjects();
        assertEquals(before.keySet(), after.keySet(), "no staged file left, no published file added or removed");
        before.forEach((key, bytes) -> assertArrayEquals(bytes, after.get(key), key + " untouched"));

        RunService healthy = known.runService(new TestClock(RUNS_AT), known.s3, line -> { });
        AggregationRun repaired = healthy.execute(healthy.startManual(KnownDay.aggregate(JsonNodeFactory.instance.objectNode().put("date", DAY.toString()))).runId());

        assertEquals("succeeded", repaired.status());
        assertEquals(10L, repaired.days().get(0).records().get("events"));
        assertEquals(known.archiveObjects().size(), repaired.days().get(0).archivedObjects());
        assertTrue(known.archiveObjects().keySet().stream().noneMatch(k -> k.startsWith("_staging/")));
        assertNull(repaired.days().get(0).error());
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            assertEquals(10, sql.count("SELECT count(*) FROM events"));
            assertEquals(1, sql.count("SELECT count(*) FROM events WHERE epoch_ms(\"timestamp\") = " + KnownDay.kst(DAY, 17, 0).toEpochMilli()));
        }
    }
}
