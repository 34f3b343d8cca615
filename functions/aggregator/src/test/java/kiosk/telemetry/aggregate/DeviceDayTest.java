package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.bind.InputRules;
import kiosk.telemetry.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour sums in a daily summary stay exact at the contract's integer cap, past a double's and a long's range. */
class DeviceDayTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final BigInteger CAP = BigInteger.valueOf(InputRules.MAX_SAFE_INTEGER);

    @Test
    void behaviourSums_ofSessionsAtTheIntegerCap_areExactInTheSummaryJson() {
        // GIVEN a session whose counters are at 2^53 - 1, the largest value the contract accepts, and one with 2 taps
        DeviceDay day = new DeviceDay("kiosk-cap", SEOUL);
        JsonNode behavior = Json.readStored("{\"totalTaps\":" + CAP + ",\"totalScrolls\":" + CAP + ",\"selectionChanges\":1}");
        Instant start = Instant.parse("2025-01-19T01:00:00Z");
        day.addSession(null, "completed", start, start.plusSeconds(60), null, behavior, null);
        day.addSession(null, "completed", start, start.plusSeconds(60), null, Json.readStored("{\"totalTaps\":2}"), null);

        // THEN the two sum to 2^53 + 1, which no double holds
        BigInteger firstTwo = CAP.add(BigInteger.TWO);
        assertNotEquals(firstTwo, BigInteger.valueOf((long) firstTwo.doubleValue()));
        JsonNode summary = Json.readStored(Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x")));
        assertEquals(firstTwo, summary.at("/behavior/totalTaps").bigIntegerValue());

        // AND with 1,024 more sessions at the cap the sums pass a long (2^63 - 1), still exactly
        for (int i = 0; i < 1024; i++) {
            day.addSession(null, "completed", start, start.plusSeconds(60), null, behavior, null);
        }
        String json = Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x"));
        BigInteger taps = CAP.multiply(BigInteger.valueOf(1025)).add(BigInteger.TWO);
        BigInteger scrolls = CAP.multiply(BigInteger.valueOf(1025));
        assertTrue(scrolls.bitLength() > 63);
        assertTrue(json.contains("\"behavior\":{\"totalTaps\":" + taps + ",\"totalScrolls\":" + scrolls + ",\"selectionChanges\":1025}"), json);
    }

    @Test
    void hoursExperimentsAndDurationSums_areCountedInTheReportingZone_andSalesCreditTheirSessionsVariants() {
        DeviceDay day = new DeviceDay("kiosk-h", SEOUL);
        // 21:30 and 21:50 in Seoul (12:30Z, 12:50Z); 09:00 in Seoul (00:00Z)
        Instant nineThirtyPm = Instant.parse("2025-01-19T12:30:00Z");
        day.addSession("s-a", "completed", nineThirtyPm, nineThirtyPm.plusSeconds(100), null, null, Json.readStored("{\"frameLayout\":\"A\"}"));
        day.addSession("s-b", "abandoned", nineThirtyPm.plusSeconds(1200), null, null, null, Json.readStored("{\"frameLayout\":\"B\",\"price\":\"high\"}"));
        day.addSession("s-c", "completed", Instant.parse("2025-01-19T00:00:00Z"), Instant.parse("2025-01-19T00:05:00Z"), null, null, null);
        // s-a's sale at 22:10 in Seoul; a sale of a session not of this day
        day.addSale("s-a", Instant.parse("2025-01-19T13:10:00Z"), "KRW", "card", Map.of("net", new BigDecimal("9000.50")));
        day.addSale("s-other", Instant.parse("2025-01-19T13:20:00Z"), "KRW", "cash", Map.of("net", new BigDecimal("1000")));
        day.addError(Instant.parse("2025-01-19T12:59:59Z"), "error", "hardware");
        day.addMetric("capture", 1800, true);
        day.addMetric("capture", 2400, false);

        JsonNode s = Json.readStored(Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x")));

        assertEquals(24, s.get("byHour").size());
        assertEquals("{\"hour\":21,\"sessions\":2,\"completed\":1,\"net\":{},\"errors\":1}", Json.write(s.get("byHour").get(21)));
        assertEquals("{\"hour\":22,\"sessions\":0,\"completed\":0,\"net\":{\"KRW\":\"10000.5\"},\"errors\":0}", Json.write(s.get("byHour").get(22)));
        assertEquals("{\"hour\":9,\"sessions\":1,\"completed\":1,\"net\":{},\"errors\":0}", Json.write(s.get("byHour").get(9)));
        assertEquals("{\"frameLayout\":{\"A\":{\"sessions\":1,\"completed\":1,\"net\":{\"KRW\":\"9000.5\"}},"
                + "\"B\":{\"sessions\":1,\"completed\":0,\"net\":{}}},\"price\":{\"high\":{\"sessions\":1,\"completed\":0,\"net\":{}}}}",
                Json.write(s.get("experiments")));
        assertEquals(400_000, s.at("/sessions/durationMsSum").asLong());
        assertEquals(2, s.at("/sessions/ended").asLong());
        assertEquals(200_000, s.at("/sessions/avgDurationMs").asLong());
        assertEquals(2, s.at("/performance/capture/histogram/count").asLong());
        assertEquals(1800, s.at("/performance/capture/p50").asLong());
    }

    @Test
    void aDayWithoutExperimentsOrSales_hasEmptyObjects_andEveryHour() {
        DeviceDay day = new DeviceDay("kiosk-e", SEOUL);
        day.addEvent("tap");
        JsonNode s = Json.readStored(Json.write(day.summary("2025-01-19", DeviceDay.Dimensions.of(null, null, null), "x")));
        assertEquals("{}", Json.write(s.get("experiments")));
        for (int h = 0; h < 24; h++) {
            assertEquals(h, s.get("byHour").get(h).get("hour").asInt());
            assertEquals("{}", Json.write(s.get("byHour").get(h).get("net")));
        }
    }
}
