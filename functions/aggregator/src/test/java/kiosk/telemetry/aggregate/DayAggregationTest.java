package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.TimingHistogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exact summaries of a day with known answers ({@link KnownDay}). */
class DayAggregationTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(3);

    private static KnownDay known;
    private static DayAggregation aggregation;
    private static DailySummariesTable summaries;
    private static DayAggregation.DayResult result;

    @BeforeAll
    static void aDayOfRecords() {
        known = new KnownDay(DAY);
        summaries = known.summaries;
        aggregation = known.aggregation();
        result = aggregation.aggregate(DAY, "run-1", Instant.parse("2026-01-01T00:00:00Z"));
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    private static JsonNode summary(String device) {
        return summaries.get(DAY, device).orElseThrow();
    }

    @Test
    void sessions_conversion_duration_andFunnel() {
        JsonNode s = summary("kiosk-a");
        assertEquals(4, s.at("/sessions/total").asInt(), "the session from the day before is not counted");
        assertEquals(1, s.at("/sessions/byStatus/started").asInt());
        assertEquals(2, s.at("/sessions/byStatus/completed").asInt());
        assertEquals(1, s.at("/sessions/byStatus/abandoned").asInt());
        assertEquals(0, s.at("/sessions/byStatus/in_progress").asInt());
        assertEquals(0.5, s.at("/sessions/conversionRate").asDouble());
        assertEquals((180_000 + 60_000 + 240_000) / 3, s.at("/sessions/avgDurationMs").asLong());
        assertEquals("{\"attract\":3,\"start\":3,\"frame_select\":2,\"capture\":1,\"edit\":1,\"payment\":1,\"print\":1,\"complete\":1}",
                s.at("/funnel/reached").toString());
        assertEquals(1, s.at("/funnel/exitStage/frame_select").asInt());
        assertEquals(0, s.at("/funnel/exitStage/capture").asInt());
        assertEquals("{\"totalTaps\":14,\"totalScrolls\":2,\"selectionChanges\":4}", s.at("/behavior").toString());
    }

    @Test
    void sales_areExactDecimalStrings_perCurrencyAndPaymentMethod() {
        JsonNode s = summary("kiosk-a").get("sales");
        assertEquals(3, s.get("count").asInt(), "the sale after midnight belongs to the next day");
        assertEquals("{\"gross\":\"15000\",\"discount\":\"1000\",\"tax\":\"1273\",\"net\":\"12727\",\"margin\":\"5000\"}",
                s.at("/byCurrency/KRW").toString());
        assertEquals("{\"gross\":\"12.5\",\"discount\":\"0.5\",\"tax\":\"1\",\"net\":\"11\",\"margin\":\"0\"}", s.at("/byCurrency/USD").toString());
        assertEquals("{\"count\":2,\"net\":{\"KRW\":\"8182\",\"USD\":\"11\"}}", s.at("/byPaymentMethod/card").toString());
        assertEquals("{\"count\":1,\"net\":{\"KRW\":\"4545\"}}", s.at("/byPaymentMethod/cash").toString());
    }

    @Test
    void performance_nearestRankPercentiles_overEveryMetric_andSuccessRate() {
        JsonNode p = summary("kiosk-a").get("performance");
        JsonNode histogram = ((ObjectNode) p.get("capture")).remove("histogram");
        assertEquals("{\"count\":100,\"successRate\":0.97,\"p50\":500,\"p95\":950,\"p99\":990,\"max\":1000}", p.get("capture").toString());
        TimingHistogram merged = TimingHistogram.fromJson(histogram);
        assertEquals(100, merged.count());
        assertEquals(500, merged.percentile(50), 5, "within 1 % of the exact p50");
        assertEquals(990, merged.percentile(99), 9.9, "within 1 % of the exact p99");
        JsonNode print = p.get("print");
        assertEquals(0.0, print.get("successRate").asDouble());
        ((ObjectNode) print).remove("successRate");
        ((ObjectNode) print).remove("histogram");
        assertEquals("{\"count\":1,\"p50\":7000,\"p95\":7000,\"p99\":7000,\"max\":7000}", print.toString());
        assertEquals(2, p.size(), "only the types seen that day");
    }

    @Test
    void errors_events_andDimensions_withUnknownForMissing() {
        JsonNode a = summary("kiosk-a");
        assertEquals("{\"total\":2,\"bySeverity\":{\"fatal\":0,\"error\":1,\"warning\":1,\"info\":0},"
                + "\"byCategory\":{\"hardware\":1,\"software\":0,\"network\":1}}", a.get("errors").toString());
        assertEquals("{\"total\":8,\"byType\":{\"screen_enter\":1,\"scroll\":2,\"tap\":5}}", a.get("events").toString());
        assertEquals("store-12", a.get("storeId").asText());
        JsonNode b = summary("kiosk-b");
        assertEquals("unknown", b.get("storeId").asText());
        assertEquals("unknown", b.get("groupId").asText());
        assertEquals("unknown", b.get("countryCode").asText());
        assertEquals(1, b.at("/sessions/total").asInt());
        assertEquals(0, b.at("/sales/count").asInt());
        assertEquals("{}", b.at("/performance").toString());
        assertEquals(0, b.at("/errors/bySeverity/fatal").asInt());
    }

    @Test
    void runCounts_andARerunWritesTheSameSummaries() {
        assertEquals(2, result.devices());
        assertEquals(Map.of("sessions", 5L, "sales", 3L, "performance", 101L, "errors", 2L, "events", 9L), Map.copyOf(result.records()));
        JsonNode before = summary("kiosk-a");
        var again = aggregation.aggregate(DAY, "run-2", Instant.parse("2026-01-02T00:00:00Z"));
        JsonNode after = summary("kiosk-a");
        assertEquals(result.records(), again.records());
        ((ObjectNode) before).remove("aggregatedAt");
        assertEquals("2026-01-02T00:00:00.000Z", ((ObjectNode) after).remove("aggregatedAt").asText());
        assertEquals(before, after);
    }

    @Test
    void nearestRank_definition() {
        assertEquals(1, DeviceDay.nearestRank(List.of(1L), 99));
        assertEquals(2, DeviceDay.nearestRank(List.of(1L, 2L), 50 + 1));
        assertEquals(1, DeviceDay.nearestRank(List.of(1L, 2L), 50));
        assertThrows(IndexOutOfBoundsException.class, () -> DeviceDay.nearestRank(List.of(), 50));
    }

    @Test
    void summaries_areWrittenTwentyFiveToABatch_eachOverwritingItsDeviceDay() {
        LocalDate other = DAY.minusDays(10);
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < DailySummariesTable.BATCH; i++) {
            batch.add(storedSummary(other, "batch-" + i, i));
        }
        summaries.putBatch(batch);
        for (int i = 0; i < DailySummariesTable.BATCH; i++) {
            assertEquals(i, summaries.get(other, "batch-" + i).orElseThrow().at("/events/total").asInt());
        }

        summaries.putBatch(List.of(storedSummary(other, "batch-3", 300)));
        assertEquals(300, summaries.get(other, "batch-3").orElseThrow().at("/events/total").asInt());

        List<ObjectNode> tooMany = new ArrayList<>();
        for (int i = 0; i <= DailySummariesTable.BATCH; i++) {
            tooMany.add(storedSummary(other, "over-" + i, i));
        }
        assertThrows(IllegalArgumentException.class, () -> summaries.putBatch(tooMany));
        assertEquals(Optional.empty(), summaries.get(other, "over-0"));
    }

    private static ObjectNode storedSummary(LocalDate date, String device, int events) {
        ObjectNode s = KnownDay.F.objectNode().put("date", date.toString()).put("deviceId", device)
                .put("storeId", "store-1").put("groupId", "unknown").put("countryCode", "KR");
        s.putObject("events").put("total", events);
        return s;
    }
}
