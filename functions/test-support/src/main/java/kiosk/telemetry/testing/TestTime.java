package kiosk.telemetry.testing;

import io.quarkus.arc.Arc;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.engines.TestClock;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Time in the function modules' tests: "now" is a {@link TestClock} that starts at {@link #START} and moves only
 * when a test moves it. In a {@code @QuarkusTest} the application runs on such a clock instead of the system one
 * (this class is an alternative with a priority, so it is enabled wherever this jar is on the test class path),
 * and the test reads "now" from that same clock, so what it sends and what the application checks it against
 * (timestamp windows, session timeouts, late days, TTLs) agree.
 */
@Alternative
@Priority(1)
public class TestTime {

    /**
     * Noon in the reporting zone (Asia/Seoul) of the current reporting day, with a fraction of a second, taken once per
     * test JVM: today, yesterday and the days before are whole days around it, far from midnight, and a time a test
     * sends as text has the digits a kiosk's has (a whole second prints without them). Fixed within a run, so tests
     * move time only by moving their clock; on the current date, so the rows' TTLs (derived from this clock) lie ahead
     * of the wall clock by which DynamoDB Local expires items, in any year.
     */
    public static final Instant START = LocalDate.now(ZoneId.of("Asia/Seoul")).atTime(LocalTime.NOON)
            .atZone(ZoneId.of("Asia/Seoul")).toInstant().plusNanos(123_456_000);

    /** A clock of its own at {@link #START}, for a test that wires services itself. */
    public static TestClock clock() {
        return new TestClock(START);
    }

    /** The clock the application under test runs on, for helpers that have no injected field. */
    public static TestClock application() {
        return Arc.container().instance(TestClock.class).get();
    }

    @Produces
    @Singleton
    TestClock applicationClock() {
        return clock();
    }
}
