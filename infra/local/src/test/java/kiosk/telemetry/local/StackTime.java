package kiosk.telemetry.local;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Time in the tests that talk to a separately started local stack (the packaged jar, or the dashboard's browser
 * against it). That process runs on the system clock, with no test clock to set, so "now" in what these tests send
 * is the wall clock's; and waiting for the process (to become healthy, to save a snapshot, to finish a run) is
 * asking it again until it answers as expected, within a deadline. The function modules' test support is not used
 * here: its test clock would replace this application's own in any {@code @QuarkusTest} of this module.
 */
public final class StackTime {

    private static final Duration PAUSE = Duration.ofMillis(200);

    private StackTime() {
    }

    /** What the local stack takes for now. */
    public static Instant now() {
        return Instant.now();
    }

    /** A read of the stack, which may fail while it is not ready. */
    @FunctionalInterface
    public interface Read<T> {
        T get() throws Exception;
    }

    /** What a wait that ran out says, given the last value read. */
    @FunctionalInterface
    public interface Failure<T> {
        String describe(T last) throws Exception;
    }

    /** The first value {@code read} gives that {@code done} accepts; after {@code within}, an AssertionError with {@code failure}. */
    public static <T> T await(Duration within, Read<T> read, Predicate<? super T> done, Failure<? super T> failure) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.describe(value));
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
