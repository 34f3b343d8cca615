package kiosk.telemetry.core.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
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

    /**
     * Reads the stored form back. The fixed form is decoded field by field (the aggregator reads two or three
     * timestamps per archived record, and {@link Instant#parse} was a third of its own CPU); anything else, and
     * any fixed-form text with a field out of range, goes through {@link Instant#parse}, which accepts the other
     * ISO-8601 instants and throws for what is not one.
     */
    public static Instant parse(String stored) {
        long millis = fixedFormMillis(stored);
        return millis == NOT_FIXED ? Instant.parse(stored) : Instant.ofEpochMilli(millis);
    }

    private static final long NOT_FIXED = Long.MIN_VALUE;
    private static final String FIXED_SHAPE = "dddd-dd-ddTdd:dd:dd.dddZ";

    /** Epoch millis of a valid {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, or {@link #NOT_FIXED}. */
    private static long fixedFormMillis(String s) {
        if (s == null || s.length() != FIXED_SHAPE.length()) {
            return NOT_FIXED;
        }
        for (int i = 0; i < FIXED_SHAPE.length(); i++) {
            char want = FIXED_SHAPE.charAt(i);
            char c = s.charAt(i);
            if (want == 'd' ? c < '0' || c > '9' : c != want) {
                return NOT_FIXED;
            }
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int milli = digits(s, 20, 3);
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour > 23 || minute > 59 || second > 59) {
            return NOT_FIXED;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + milli;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
