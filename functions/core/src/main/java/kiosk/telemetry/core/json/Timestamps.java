package kiosk.telemetry.core.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one stored form of an instant: UTC, millisecond precision, fixed width
 * ({@code 2025-01-19T01:00:00.123Z}) so that string order is time order in DynamoDB sort keys.
 */
public final class Timestamps {

    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static Instant truncate(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    public static String format(Instant t) {
        return FIXED.format(t);
    }

    public static Instant parse(String stored) {
        return Instant.parse(stored);
    }
}
