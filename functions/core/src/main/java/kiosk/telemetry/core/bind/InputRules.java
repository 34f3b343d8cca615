package kiosk.telemetry.core.bind;

import java.time.Duration;
import java.time.Instant;
import kiosk.telemetry.core.config.TelemetryConfig;

/**
 * The contract's input limits, with the server time a request is judged against. Timestamps must lie in
 * {@code [now - maxPastAge, now + maxFutureSkew]}, both ends inclusive.
 */
public record InputRules(Instant now, Duration maxFutureSkew, Duration maxPastAge, int maxStringBytes, int maxObjectBytes) {

    /** The largest integer the contract accepts, 2^53 - 1 (exact in a double, so in every JSON reader). */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** The configured limits, judged against {@code now}. */
    public static InputRules of(TelemetryConfig.Limits l, Instant now) {
        return new InputRules(now, l.maxFutureSkew(), l.maxPastAge(), l.maxStringBytes(), l.maxObjectBytes());
    }

    public Instant earliest() {
        return now.minus(maxPastAge);
    }

    public Instant latest() {
        return now.plus(maxFutureSkew);
    }
}
