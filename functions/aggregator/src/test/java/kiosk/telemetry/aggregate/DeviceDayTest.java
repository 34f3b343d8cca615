package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour sums in a daily summary stay exact at the contract's integer cap, past a double's and a long's range. */
class DeviceDayTest {

    private static final BigInteger CAP = BigInteger.valueOf(FieldReader.MAX_SAFE_INTEGER);

    @Test
    void behaviourSums_ofSessionsAtTheIntegerCap_areExactInTheSummaryJson() {
        // GIVEN a session whose counters are at 2^53 - 1, the largest value the contract accepts, and one with 2 taps
        DeviceDay day = new DeviceDay("kiosk-cap");
        JsonNode behavior = Json.readStored("{\"totalTaps\":" + CAP + ",\"totalScrolls\":" + CAP + ",\"selectionChanges\":1}");
        Instant start = Instant.parse("2025-01-19T01:00:00Z");
        day.addSession("completed", start, start.plusSeconds(60), null, behavior);
        day.addSession("completed", start, start.plusSeconds(60), null, Json.readStored("{\"totalTaps\":2}"));

        // THEN the two sum to 2^53 + 1, which no double holds
        BigInteger firstTwo = CAP.add(BigInteger.TWO);
        assertNotEquals(firstTwo, BigInteger.valueOf((long) firstTwo.doubleValue()));
        JsonNode summary = Json.readStored(Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x")));
        assertEquals(firstTwo, summary.at("/behavior/totalTaps").bigIntegerValue());

        // AND with 1,024 more sessions at the cap the sums pass a long (2^63 - 1), still exactly
        for (int i = 0; i < 1024; i++) {
            day.addSession("completed", start, start.plusSeconds(60), null, behavior);
        }
        String json = Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x"));
        BigInteger taps = CAP.multiply(BigInteger.valueOf(1025)).add(BigInteger.TWO);
        BigInteger scrolls = CAP.multiply(BigInteger.valueOf(1025));
        assertTrue(scrolls.bitLength() > 63);
        assertTrue(json.contains("\"behavior\":{\"totalTaps\":" + taps + ",\"totalScrolls\":" + scrolls + ",\"selectionChanges\":1025}"), json);
    }
}
