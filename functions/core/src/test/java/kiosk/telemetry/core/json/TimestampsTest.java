package kiosk.telemetry.core.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {

    @Test
    void theStoredForm_readsBackAsTheInstantItWasWrittenFrom() {
        Random random = new Random(20261202);
        long min = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli(); // the stored form writes years of the era
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            // half across every 4-digit year, half within the years the kiosks report in
            long millis = i % 2 == 0 ? min + (long) (random.nextDouble() * (max - min))
                    : 1_700_000_000_000L + (long) (random.nextDouble() * 400L * 86_400_000L);
            Instant t = Instant.ofEpochMilli(millis);
            String stored = Timestamps.format(t);
            assertEquals(t, Timestamps.parse(stored), stored);
            assertEquals(Instant.parse(stored), Timestamps.parse(stored), stored);
        }
    }

    @Test
    void edgesOfDaysMonthsAndLeapYears_readAsIsoInstantsDo() {
        for (String s : new String[] {"1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2024-02-29T12:00:00.000Z",
                "2000-02-29T00:00:00.000Z", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z",
                "9999-12-31T23:59:59.999Z"}) {
            assertEquals(Instant.parse(s), Timestamps.parse(s), s);
        }
    }

    @Test
    void otherIsoInstants_stillRead() { // a leap second, 24:00 and a lower-case z included, as ISO parsing reads them
        for (String s : new String[] {"2025-01-19T01:00:00Z", "2025-01-19T01:00:00.5Z", "2025-01-19T01:00:00.123456Z",
                "2025-01-19T10:00:00.000+09:00", "2016-12-31T23:59:60.000Z",
                "2025-01-19T24:00:00.000Z", "2025-01-19T01:00:00.000z"}) {
            assertEquals(Instant.parse(s), Timestamps.parse(s), s);
        }
    }

    @Test
    void fixedWidthTextThatIsNoInstant_isRefusedAsIsoParsingRefusesIt() {
        for (String s : new String[] {"2025-02-29T00:00:00.000Z", "2024-02-30T00:00:00.000Z", "2025-13-01T00:00:00.000Z",
                "2025-00-10T00:00:00.000Z", "2025-01-00T00:00:00.000Z", "2025-04-31T00:00:00.000Z",
                "2025-01-19T23:60:00.000Z", "2025-01-19T23:59:61.000Z", "2025-01-19 01:00:00.000Z",
                "2025-01-1xT01:00:00.000Z", "2025-01-19T01:00:00,000Z", ""}) {
            assertThrows(DateTimeParseException.class, () -> Timestamps.parse(s), s);
        }
    }
}
