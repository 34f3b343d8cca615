package kiosk.telemetry.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for work that finishes on another thread (a run the application executes in the background): the
 * condition is read again and again until it holds, and the wait fails once its deadline has passed. The
 * deadline is wall-clock time on purpose: it bounds how long the test waits, not what the application sees.
 */
public final class Poll {

    private static final Duration PAUSE = Duration.ofMillis(50);

    private Poll() {
    }

    /** The first value {@code read} gives that {@code done} accepts; an AssertionError naming {@code what} after {@code within}. */
    public static <T> T until(Duration within, String what, Supplier<T> read, Predicate<? super T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " within " + within + "; last read: " + value);
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what, e);
            }
        }
    }
}
