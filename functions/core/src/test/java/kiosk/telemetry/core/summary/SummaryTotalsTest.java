package kiosk.telemetry.core.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.TimingHistogram;
import kiosk.telemetry.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Device summaries summed into a rollup, and rollups into a range, as the contract's Insights section says. */
class SummaryTotalsTest {

    /** A device summary in the aggregator's shape, with the figures a test varies. */
    private static JsonNode device(String id, int sessions, int completed, String netKrw, int hour, long... timings) {
        TimingHistogram h = new TimingHistogram();
        for (long t : timings) {
            h.add(t);
        }
        String perf = timings.length == 0 ? "{}" : "{\"capture\":{\"count\":" + timings.length + ",\"successRate\":"
                + BigDecimal.valueOf(timings.length - 1).divide(BigDecimal.valueOf(timings.length), 6, RoundingMode.HALF_EVEN) + ",\"p50\":0,\"p95\":0,\"p99\":0,"
                + "\"max\":0,\"histogram\":" + h.toJson() + "}}";
        StringBuilder hours = new StringBuilder("[");
        for (int i = 0; i < 24; i++) {
            hours.append(i == 0 ? "" : ",").append("{\"hour\":").append(i).append(",\"sessions\":").append(i == hour ? sessions : 0)
                    .append(",\"completed\":").append(i == hour ? completed : 0).append(",\"net\":")
                    .append(i == hour && netKrw != null ? "{\"KRW\":\"" + netKrw + "\"}" : "{}").append(",\"errors\":0}");
        }
        hours.append("]");
        String sales = netKrw == null ? "{\"count\":0,\"byCurrency\":{},\"byPaymentMethod\":{}}"
                : "{\"count\":1,\"byCurrency\":{\"KRW\":{\"gross\":\"" + netKrw + "\",\"discount\":\"0\",\"tax\":\"0\",\"net\":\"" + netKrw
                + "\",\"margin\":\"0\"}},\"byPaymentMethod\":{\"card\":{\"count\":1,\"net\":{\"KRW\":\"" + netKrw + "\"}}}}";
        return Json.readStored("{\"date\":\"2026-11-30\",\"deviceId\":\"" + id + "\",\"storeId\":\"store-1\",\"groupId\":\"g\",\"countryCode\":\"KR\","
                + "\"sessions\":{\"total\":" + sessions + ",\"byStatus\":{\"started\":0,\"in_progress\":0,\"completed\":" + completed
                + ",\"abandoned\":" + (sessions - completed) + ",\"timeout\":0,\"error\":0},\"conversionRate\":0.1,\"avgDurationMs\":1000,"
                + "\"durationMsSum\":" + 1000L * sessions + ",\"ended\":" + sessions + "},"
                + "\"funnel\":{\"reached\":{\"attract\":" + sessions + ",\"complete\":" + completed + "},\"exitStage\":{}},"
                + "\"sales\":" + sales + ",\"performance\":" + perf + ","
                + "\"errors\":{\"total\":1,\"bySeverity\":{\"error\":1},\"byCategory\":{\"network\":1}},"
                + "\"events\":{\"total\":10,\"byType\":{\"tap\":10}},"
                + "\"behavior\":{\"totalTaps\":9007199254740991,\"totalScrolls\":1,\"selectionChanges\":0},"
                + "\"byHour\":" + hours + ","
                + "\"experiments\":{\"frameLayout\":{\"" + (sessions % 2 == 0 ? "A" : "B") + "\":{\"sessions\":" + sessions + ",\"completed\":"
                + completed + ",\"net\":" + (netKrw == null ? "{}" : "{\"KRW\":\"" + netKrw + "\"}") + "}}},"
                + "\"aggregatedAt\":\"x\"}");
    }

    @Test
    void deviceSummaries_sumIntoARollup_withRatiosRecomputed() {
        SummaryTotals t = new SummaryTotals();
        t.addDeviceSummary(device("k1", 4, 1, "1000.10", 21, 100, 200, 300));
        t.addDeviceSummary(device("k2", 3, 3, "0.90", 21, 400));
        t.addDeviceSummary(device("k3", 0, 0, null, 9));
        ObjectNode r = t.toJson();

        assertEquals("{\"reporting\":3,\"active\":2}", Json.write(((ObjectNode) r.get("devices").deepCopy()).without("sketch")));
        assertEquals(7, r.at("/sessions/total").asLong());
        assertEquals(4, r.at("/sessions/byStatus/completed").asLong());
        assertEquals(0.571429, r.at("/sessions/conversionRate").asDouble());
        assertEquals(7000, r.at("/sessions/durationMsSum").asLong());
        assertEquals("1001", r.at("/sales/byCurrency/KRW/net").asText(), "exact decimal sums");
        assertEquals("{\"count\":2,\"net\":{\"KRW\":\"1001\"}}", Json.write(r.at("/sales/byPaymentMethod/card")));
        assertEquals(4, r.at("/performance/capture/count").asLong());
        assertEquals(2, r.at("/performance/capture/successes").asLong(), "2 of 3 (0.666667) and 0 of 1, back from the rounded rates");
        assertEquals(200, r.at("/performance/capture/p50").asLong());
        assertEquals(400, r.at("/performance/capture/max").asLong());
        assertEquals("27021597764222973", r.at("/behavior/totalTaps").asText(), "three devices at 2^53 - 1: past a double, exactly");
        assertEquals("{\"hour\":21,\"sessions\":7,\"completed\":4,\"net\":{\"KRW\":\"1001\"},\"errors\":0}", Json.write(r.at("/byHour/21")));
        assertEquals("{\"A\":{\"sessions\":4,\"completed\":1,\"net\":{\"KRW\":\"1000.1\"}},\"B\":{\"sessions\":3,\"completed\":3,\"net\":{\"KRW\":\"0.9\"}}}",
                Json.write(r.at("/experiments/frameLayout")));
        assertEquals(3, r.at("/errors/total").asLong());
    }

    @Test
    void rollupsOfRollups_equalTheRollupOfAllDevices_andDistinctDevicesAreNotCountedTwice() {
        List<JsonNode> day1 = List.of(device("k1", 2, 1, "10", 8, 50), device("k2", 1, 1, null, 9));
        List<JsonNode> day2 = List.of(device("k1", 3, 0, "5.5", 10, 70, 80), device("k4", 0, 0, null, 3));

        SummaryTotals all = new SummaryTotals();
        day1.forEach(all::addDeviceSummary);
        day2.forEach(all::addDeviceSummary);

        SummaryTotals range = new SummaryTotals();
        for (List<JsonNode> day : List.of(day2, day1)) {
            SummaryTotals rollup = new SummaryTotals();
            day.forEach(rollup::addDeviceSummary);
            range.addRollup(Json.readStored(Json.write(rollup.toJson())));
        }
        assertEquals(Json.write(all.toJson()), Json.write(range.toJson()));
        assertEquals(3, range.reportingDevices(), "k1 reported on both days: counted once");
        assertEquals(2, range.activeDevices());
    }
}
