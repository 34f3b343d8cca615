package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 01:00 check behind the nightly alarm: NightlyRunMissing is 1 until a run since midnight aggregated yesterday. */
class NightlyCheckTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(3);
    private static KnownDay known;

    @BeforeAll
    static void start() {
        known = new KnownDay(DAY);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    private static RunService runsAt(Clock clock, List<String> metrics) {
        return known.runService(clock, known.s3, metrics::add);
    }

    @Test
    void missingUntilARunSinceMidnightSucceedsForYesterday() {
        // 01:00 in Seoul on the day after DAY: DAY is the day that just ended
        Clock oneAm = new TestClock(KnownDay.kst(DAY.plusDays(1), 1, 0));
        List<String> metrics = new CopyOnWriteArrayList<>();

        // a run of DAY that started the evening before midnight does not count (the day was not over)
        RunService early = runsAt(new TestClock(KnownDay.kst(DAY, 23, 0)), metrics);
        assertEquals("succeeded", early.execute(early.startManual(KnownDay.aggregate(JsonNodeFactory.instance.objectNode().put("date", DAY.toString()))).runId()).status());
        var before = runsAt(oneAm, metrics).checkNightly();
        assertEquals(DAY.toString(), before.date());
        assertFalse(before.succeeded());
        assertNull(before.runId());
        assertTrue(metrics.get(metrics.size() - 1).contains("\"NightlyRunMissing\":1"), metrics.get(metrics.size() - 1));

        RunService tonight = runsAt(new TestClock(KnownDay.kst(DAY.plusDays(1), 0, 5)), metrics);
        String runId = tonight.startScheduled().runId();
        assertEquals("succeeded", tonight.execute(runId).status());

        var after = runsAt(oneAm, metrics).checkNightly();
        assertTrue(after.succeeded());
        assertEquals(runId, after.runId());
        String line = metrics.get(metrics.size() - 1);
        assertTrue(line.contains("\"NightlyRunMissing\":0"), line);
        assertTrue(line.contains("\"Function\":\"telemetry-aggregator\""), line);
    }
}
