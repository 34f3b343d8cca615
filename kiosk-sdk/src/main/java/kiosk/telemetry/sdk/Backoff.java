package kiosk.telemetry.sdk;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failure in a row the next attempt waits between half and all
 * of {@code min(max, initial × 2^(n−1))}, chosen at random, so a fleet that lost the network together does not
 * come back in step. A server's {@code Retry-After} is a floor.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Records one more failure and returns how long to wait before the next attempt. */
    Duration next(Duration floor) {
        failures++;
        long ceiling = initial.toMillis() << Math.min(failures - 1, 30);
        if (ceiling <= 0 || ceiling > max.toMillis()) {
            ceiling = max.toMillis();
        }
        long wait = ceiling / 2 + random.nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(wait, floor.toMillis()));
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
