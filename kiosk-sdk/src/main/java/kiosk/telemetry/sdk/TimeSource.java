package kiosk.telemetry.sdk;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

/**
 * The SDK's notion of time. Durations (timers, idle detection, backoff) come from a monotonic ticker
 * ({@link System#nanoTime()} by default). Record timestamps come from a local timeline (the kiosk's wall clock
 * read once at start, then advanced by the ticker, so a clock reset while running does not bend it) plus an
 * estimate of the server's clock offset.
 *
 * <p>The offset is estimated from the {@code Date} header of the server's answers. The header has one-second
 * resolution, so one answer received between local times {@code t0} (request sent) and {@code t1} (answer
 * received) with {@code Date: D} says the offset lies in {@code [D − t1, D + 1 s − t0]}. Answers are intersected,
 * which narrows the interval to well under a second after a few answers at different sub-second phases; the
 * estimate is the interval's middle. An answer that contradicts the interval (the server's clock or the kiosk's
 * jumped) starts a new interval. The correction applied is 0 while the interval lies within
 * ±{@link #IN_STEP_MS}, and changes only when the estimate moves by {@link #MOVE_MS} or more.
 */
final class TimeSource {

    /**
     * A kiosk clock that the answers show within 2 s of the server's is left uncorrected: the server accepts
     * such times, and sub-second corrections would only move the times of one session against each other (an
     * {@code endedAt} stamped after a refinement could fall before its {@code startedAt}).
     */
    static final long IN_STEP_MS = 2_000;
    /** The estimate moves only by a second or more, so the records of one session share one correction. */
    static final long MOVE_MS = 1_000;

    private final LongSupplier ticker;
    private final Instant anchorWall;
    private final long anchorNanos;

    // guarded by this
    private boolean known;
    private long lowMs;
    private long highMs;
    private volatile long offsetMs;
    private volatile boolean estimated;

    TimeSource(Clock wall, LongSupplier ticker) {
        this.ticker = ticker;
        this.anchorNanos = ticker.getAsLong();
        this.anchorWall = wall.instant();
    }

    /** Monotonic nanoseconds, for durations only. */
    long nanos() {
        return ticker.getAsLong();
    }

    /** The kiosk's own time on the monotonic timeline (no server correction). */
    Instant local() {
        return anchorWall.plusNanos(ticker.getAsLong() - anchorNanos);
    }

    /** The best estimate of the server's time now, to the millisecond. */
    Instant now() {
        return local().plusMillis(offsetMs).truncatedTo(ChronoUnit.MILLIS);
    }

    /** The correction {@link #now()} applies now (server − kiosk), in ms; 0 until an answer carried a date. */
    long offsetMs() {
        return offsetMs;
    }

    /** True once at least one answer carried the server's date. */
    boolean estimated() {
        return estimated;
    }

    /**
     * One answer: the request left at local {@code sentAt}, the answer came back at local {@code receivedAt}
     * carrying {@code serverDate} (whole seconds).
     */
    synchronized void observe(Instant sentAt, Instant receivedAt, Instant serverDate) {
        long d = serverDate.toEpochMilli();
        long low = d - receivedAt.toEpochMilli();
        long high = d + 1000 - sentAt.toEpochMilli();
        if (!known || low > highMs || high < lowMs) {
            lowMs = low;
            highMs = high;
            known = true;
        } else {
            lowMs = Math.max(lowMs, low);
            highMs = Math.min(highMs, high);
        }
        long next = lowMs > -IN_STEP_MS && highMs < IN_STEP_MS ? 0 : lowMs + (highMs - lowMs) / 2;
        if (!estimated || Math.abs(next - offsetMs) >= MOVE_MS) {
            offsetMs = next;
        }
        estimated = true;
    }
}
