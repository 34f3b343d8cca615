package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.SessionTimeouts;
import kiosk.telemetry.session.Session;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static kiosk.telemetry.aggregate.KnownDay.kst;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The nightly run ends sessions a kiosk left open for more than 24 hours as {@code timeout}, in the session (the next
 * {@code seq}) and in the summary: a day already summarised is aggregated again in the same run.
 */
class SessionTimeoutTest {

    /** The day before the day that ends tonight, already aggregated when its sessions were still open. */
    private static final LocalDate EARLIER = KnownDay.TODAY.minusDays(12);
    private static final LocalDate ENDED = EARLIER.plusDays(1);

    private static KnownDay known;
    private static SessionsTable sessions;

    @BeforeAll
    static void start() {
        known = new KnownDay(KnownDay.TODAY.minusDays(2));
        sessions = new SessionsTable(known.dynamo, new IndexPager(known.dynamo), known.calendar, known.config);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    @Test
    void sessionsOpenOver24h_endAsTimeout_withTheNextSeq_andTheirDaysSummariesCountThem() {
        String crashed = KnownDay.session(sessions, "kiosk-t1", null, kst(EARLIER, 10, 0), null, null, null, null);
        String unplugged = KnownDay.session(sessions, "kiosk-t1", null, kst(EARLIER, 11, 0), "in_progress", null, null, null);
        String finished = KnownDay.session(sessions, "kiosk-t1", null, kst(EARLIER, 12, 0), "completed", kst(EARLIER, 12, 4), null, null);
        String earlyLastNight = KnownDay.session(sessions, "kiosk-t2", null, kst(ENDED, 0, 1), null, null, null, null);
        String lateLastNight = KnownDay.session(sessions, "kiosk-t2", null, kst(ENDED, 23, 0), null, null, null, null);

        RunService before = known.runService(new TestClock(kst(EARLIER.plusDays(1), 0, 5)), known.s3, line -> { });
        assertEquals("succeeded", before.execute(before.startManual(KnownDay.aggregate(JsonNodeFactory.instance.objectNode()
                .put("date", EARLIER.toString()))).runId()).status());
        assertEquals(1, known.summaries.get(EARLIER, "kiosk-t1").orElseThrow().at("/sessions/byStatus/started").asLong());

        Instant tonight = kst(ENDED.plusDays(1), 0, 5);
        RunService nightly = known.runService(new TestClock(tonight), known.s3, line -> { });
        var started = nightly.startScheduled();
        assertEquals(java.util.List.of(EARLIER.toString(), ENDED.toString()), started.dates(), "the earlier day is aggregated again");

        Session c = sessions.get(crashed).orElseThrow();
        assertEquals("timeout", c.status());
        assertEquals(1, c.seq(), "the next seq after the kiosk's 0");
        assertEquals(SessionTimeouts.EXIT_REASON_TEXT, c.exitReason());
        assertEquals(null, c.endedAt(), "the server does not know when the visit ended");
        assertEquals("timeout", sessions.get(unplugged).orElseThrow().status());
        assertEquals(2, sessions.get(unplugged).orElseThrow().seq());
        assertEquals("completed", sessions.get(finished).orElseThrow().status(), "an ended session is left as it is");
        assertEquals("timeout", sessions.get(earlyLastNight).orElseThrow().status(), "24 h 4 min after its start");
        assertEquals("started", sessions.get(lateLastNight).orElseThrow().status(), "1 h 5 min: the kiosk may still end it");

        assertEquals("succeeded", nightly.execute(started.runId()).status());
        var earlier = known.summaries.get(EARLIER, "kiosk-t1").orElseThrow();
        assertEquals(2, earlier.at("/sessions/byStatus/timeout").asLong(), earlier.toString());
        assertEquals(0, earlier.at("/sessions/byStatus/started").asLong());
        assertEquals(0, earlier.at("/sessions/byStatus/in_progress").asLong());
        var ended = known.summaries.get(ENDED, "kiosk-t2").orElseThrow();
        assertEquals(1, ended.at("/sessions/byStatus/timeout").asLong());
        assertEquals(1, ended.at("/sessions/byStatus/started").asLong());

        RunService again = known.runService(new TestClock(tonight.plusSeconds(60)), known.s3, line -> { });
        assertEquals(java.util.List.of(ENDED.toString()), again.startScheduled().dates(), "nothing left open over 24 h: no day marked");
        assertEquals(1, sessions.get(crashed).orElseThrow().seq(), "a second night does not move it again");
    }
}
