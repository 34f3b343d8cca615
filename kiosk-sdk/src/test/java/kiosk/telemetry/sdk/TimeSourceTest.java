package kiosk.telemetry.sdk;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server offset taken from Date headers: none for a clock in step, and steady while it is refined. */
class TimeSourceTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00.300Z");

    private final AtomicLong nanos = new AtomicLong();
    private final TimeSource time = new TimeSource(Clock.fixed(START, ZoneOffset.UTC), nanos::get);

    /** An answer: sent now, back {@code rttMs} later, with the server's second of {@code serverNow}. */
    private void answer(long rttMs, Instant serverNow) {
        Instant sent = time.local();
        nanos.addAndGet(rttMs * 1_000_000);
        time.observe(sent, time.local(), serverNow.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void aClockWithinASecondOfTheServer_isNotCorrected_soTheTimesOfASessionStayInOrder() {
        // the server is 700 ms ahead: answers narrow the interval around +700 ms, within the 2 s the server tolerates
        for (int i = 0; i < 20; i++) {
            answer(40, time.local().plusMillis(700));
            nanos.addAndGet(137_000_000);
            assertEquals(0, time.offsetMs(), "answer " + i);
        }
    }

    @Test
    void aClockAnHourFast_isCorrected_andRefinementsBelowASecondDoNotMoveTheCorrection() {
        answer(40, time.local().minusSeconds(3600));
        long first = time.offsetMs();
        assertEquals(-3_600_000, first, 1_000);
        for (int i = 0; i < 20; i++) {
            nanos.addAndGet(173_000_000);
            answer(40, time.local().minusSeconds(3600));
            assertEquals(first, time.offsetMs(), "a sub-second refinement leaves the correction where it is");
        }
    }
}
