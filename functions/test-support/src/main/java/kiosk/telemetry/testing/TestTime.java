package kiosk.telemetry.testing;

import io.quarkus.arc.Arc;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.engines.TestClock;

import java.time.Instant;

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
     * Noon in the reporting zone (Asia/Seoul, 03:00 UTC), a Wednesday: today, yesterday and the days before are
     * whole days around it, far from midnight. With a fraction of a second, as a real clock reads, so a time a test
     * sends as text has the digits a kiosk's has (a whole second prints without them). Ahead of the wall clock on
     * purpose: DynamoDB Local deletes items whose TTL, derived from this clock, has passed by the wall clock.
     */
    public static final Instant START = Instant.parse("2031-05-14T03:00:00.123456Z");

    /** A clock of its own at {@link #START}, for a test that wires services itself. */
    public static TestClock clock() {
        // the wall clock, as DynamoDB Local reads it to expire items
        if (!Instant.now().isBefore(START)) {
            throw new IllegalStateException("TestTime.START " + START + " has passed: DynamoDB Local would expire the tests' "
                    + "rows as they are written; move it ahead");
        }
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
