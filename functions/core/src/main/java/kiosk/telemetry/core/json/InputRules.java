package kiosk.telemetry.core.json;

import java.time.Duration;
import java.time.Instant;
import kiosk.telemetry.core.config.TelemetryConfig;

/**
 * The contract's input limits, with the server time a request is judged against. Timestamps must lie in
 * {@code [now - maxPastAge, now + maxFutureSkew]}, both ends inclusive.
 */
public record InputRules(Instant now, Duration maxFutureSkew, Duration maxPastAge, int maxStringBytes, int maxObjectBytes) {

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
