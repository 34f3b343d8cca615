package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.store.SaleItem;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that cannot hurt each other or the archive: one invocation per run, one run per day at a time, no day
 * re-aggregated after its raw rows expired, and no day published with fewer records than its archive holds
 * unless an operator forces it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunSafetyTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    /** Noon in Seoul, twelve days after DAY: inside the raw retention. */
    private static final Clock NOW = new TestClock(KnownDay.kst(DAY.plusDays(12), 12, 0));
    private static KnownDay known;
    private static RunService runs;
    private static DayMarksTable marks;
    private static Map<String, byte[]> firstArchive;
    private static Map<String, String> firstSummaries;

    @BeforeAll
    static void aggregateOnce() {
        known = new KnownDay(DAY);
        runs = known.runService(NOW, known.s3, line -> { });
        marks = new DayMarksTable(known.dynamo, known.config);
        assertEquals("succeeded", runs.execute(runs.startManual(KnownDay.aggregate(date(DAY))).runId()).status());
        firstArchive = dayObjects();
        firstSummaries = summaries();
        assertTrue(firstArchive.keySet().stream().anyMatch(k -> k.startsWith("events/")), firstArchive.keySet().toString());
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    @Test
    @Order(1)
    void aRunDeliveredToTwoInvocationsAtOnce_executesInOneOfThem() throws Exception {
        String runId = runs.startManual(KnownDay.aggregate(date(DAY))).runId();
        List<Object> outcomes = atOnce(() -> runs.execute(runId), () -> runs.execute(runId));
        assertEquals(1, outcomes.stream().filter(o -> o instanceof AggregationRun r && r.status().equals("succeeded")).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(o -> o instanceof Refusal e && e.reason() == Refusal.Reason.CONFLICT).count(), outcomes.toString());
        assertEquals("succeeded", runs.get(runId).status());
    }

    @Test
    @Order(2)
    void aDayHeldByAnotherRun_isSkipped_withTheReason_andAggregatedOnceItIsFree() {
        var held = marks.lease(DAY, "run-holding-the-day", NOW.instant(), NOW.instant().plus(Duration.ofMinutes(16)));
        assertTrue(held.taken());
        AggregationRun skipped = runs.execute(runs.startManual(KnownDay.aggregate(date(DAY))).runId());
        assertEquals("succeeded", skipped.status(), "a skipped day is not a failure");
        AggregationRun.Day day = skipped.days().get(0);
        assertEquals("skipped", day.status());
        assertTrue(day.error().contains("run-holding-the-day"), day.error());
        assertEquals(firstArchive.keySet(), dayObjects().keySet());

        marks.release(DAY, "run-holding-the-day");
        assertEquals("succeeded", runs.execute(runs.startManual(KnownDay.aggregate(date(DAY))).runId()).days().get(0).status());
    }

    @Test
    @Order(3)
    void twoRunsOfOneDayAtOnce_leaveTheSummariesAndArchiveOfOneRun_andNoFileOfTheDayEverMissing() throws Exception {
        Set<String> published = firstArchive.keySet();
        List<String> missing = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (watching.get()) {
                Set<String> seen = new HashSet<>(dayObjectKeys());
                published.stream().filter(k -> !seen.contains(k)).forEach(missing::add);
            }
        });
        reader.start();
        String a = runs.startManual(KnownDay.aggregate(date(DAY))).runId();
        String b = runs.startManual(KnownDay.aggregate(date(DAY))).runId();
        List<Object> outcomes;
        try {
            outcomes = atOnce(() -> runs.execute(a), () -> runs.execute(b));
        } finally {
            watching.set(false);
            reader.join();
        }
        List<String> dayStatuses = new ArrayList<>();
        outcomes.forEach(o -> dayStatuses.add(((AggregationRun) o).days().get(0).status()));
        assertTrue(dayStatuses.contains("succeeded"), dayStatuses.toString());
        assertTrue(missing.isEmpty(), "files a reader found missing while the runs published: " + missing);
        Map<String, byte[]> after = dayObjects();
        assertEquals(firstArchive.keySet(), after.keySet());
        firstArchive.forEach((k, bytes) -> assertArrayEquals(bytes, after.get(k), k + " is byte-identical"));
        assertEquals(firstSummaries, summaries());
    }

    @Test
    @Order(4)
    void aDayOlderThanTheRawRetention_isRefused_becauseItsArchiveWouldBeEmptied() {
        LocalDate today = DAY.plusDays(12);
        Refusal old = assertThrows(Refusal.class, () -> runs.startManual(KnownDay.aggregate(date(today.minusDays(36)))));
        assertEquals(Refusal.Reason.INVALID, old.reason());
        assertTrue(old.getMessage().contains("raw retention"), old.getMessage());
        Refusal range = assertThrows(Refusal.class, () -> runs.startManual(KnownDay.aggregate(
                KnownDay.F.objectNode().put("from", today.minusDays(40).toString()).put("to", today.minusDays(20).toString()))));
        assertEquals("from", range.errors().get(0).field());
        // the last day whose rows still outlive a run
        runs.startManual(KnownDay.aggregate(date(today.minusDays(35))));
    }

    @Test
    @Order(5)
    void aDayThatLostRecords_isNotPublished_unlessForced_andTheRunRecordsTheCounts() {
        Map<String, AttributeValue> sale = known.dynamo.scan(b -> b.tableName(known.config.tables().sales())).items().stream()
                .filter(it -> "USD".equals(SaleItem.CURRENCY.get(it))).findFirst().orElseThrow();
        known.dynamo.deleteItem(b -> b.tableName(known.config.tables().sales()).key(SaleItem.SALE_ID.key(SaleItem.SALE_ID.get(sale))));

        AggregationRun refused = runs.execute(runs.startManual(KnownDay.aggregate(date(DAY))).runId());
        AggregationRun.Day day = refused.days().get(0);
        assertEquals("failed", refused.status());
        assertEquals("failed", day.status());
        assertTrue(day.error().contains("sales 2 < 3") && day.error().contains("force"), day.error());
        assertEquals(3L, day.archivedBefore().get("sales"));
        Map<String, byte[]> after = dayObjects();
        firstArchive.forEach((k, bytes) -> assertArrayEquals(bytes, after.get(k), k + " is unchanged"));
        assertEquals(firstSummaries, summaries());

        ObjectNode forced = date(DAY).put("force", true);
        AggregationRun replaced = runs.execute(runs.startManual(KnownDay.aggregate(forced)).runId());
        assertTrue(replaced.force());
        assertEquals("succeeded", replaced.days().get(0).status(), replaced.toString());
        assertEquals(2L, replaced.days().get(0).records().get("sales"));
        assertEquals(3L, replaced.days().get(0).archivedBefore().get("sales"));
        assertNotEquals(firstSummaries, summaries());
        assertEquals(2L, marks.get(DAY).orElseThrow().archivedRecords().get("sales"));
    }

    private static ObjectNode date(LocalDate d) {
        return KnownDay.F.objectNode().put("date", d.toString());
    }

    /** Runs both at the same moment on two threads; each outcome is the result or the exception it threw. */
    private static List<Object> atOnce(Callable<Object> first, Callable<Object> second) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (var task : List.of(first, second)) {
                futures.add(two.submit(() -> {
                    go.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            two.shutdown();
        }
    }

    /** The day's published keys, as a reader listing the bucket sees them (keys only: files come and go meanwhile). */
    private static List<String> dayObjectKeys() {
        return known.s3.listObjectsV2Paginator(b -> b.bucket(known.config.archive().bucket())).contents().stream().map(S3Object::key)
                .filter(k -> k.contains("/dt=" + DAY + "/") && !k.startsWith("_staging/")).toList();
    }

    private static Map<String, byte[]> dayObjects() {
        Map<String, byte[]> out = new TreeMap<>();
        known.archiveObjects().forEach((k, v) -> {
            if (k.contains("/dt=" + DAY + "/") && !k.startsWith("_staging/")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The day's summaries by device, without the one field a re-run changes. */
    private static Map<String, String> summaries() {
        Map<String, String> out = new TreeMap<>();
        known.dynamo.scan(b -> b.tableName(known.config.tables().dailySummaries())).items().forEach(it -> {
            ObjectNode summary = (ObjectNode) DailySummariesTable.summaryOf(it);
            if (summary.get("date").asText().equals(DAY.toString())) {
                summary.remove("aggregatedAt");
                out.put(summary.get("deviceId").asText(), summary.toString());
            }
        });
        return out;
    }
}
