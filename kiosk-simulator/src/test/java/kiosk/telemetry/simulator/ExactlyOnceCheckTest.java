package kiosk.telemetry.simulator;

import kiosk.telemetry.sdk.DeliveryStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's final check must catch every way a record can go missing or be doubled. */
class ExactlyOnceCheckTest {

    private static DeliveryStats.Count queued(long n, long rejected, long evicted, long pending) {
        return new DeliveryStats.Count(n, 0, n - rejected - evicted - pending, 0, 0, rejected, evicted, 0, 0, pending);
    }

    private static OperatorClient.Held held(long n) {
        return new OperatorClient.Held(n, Map.of());
    }

    @Test
    void equalCounts_nothingDropped_pass() {
        assertEquals(List.of(), FleetSimulator.compare("k1", "events", queued(75, 0, 0, 0), Map.of(), held(75)));
    }

    @Test
    void missingOrDoubledOrDroppedRecords_fail() {
        assertTrue(FleetSimulator.compare("k1", "events", queued(75, 0, 0, 0), Map.of(), held(74)).get(0).contains("server holds 74"));
        assertTrue(FleetSimulator.compare("k1", "events", queued(75, 0, 0, 0), Map.of(), held(76)).get(0).contains("server holds 76"));
        assertEquals(1, FleetSimulator.compare("k1", "events", queued(75, 1, 0, 0), Map.of(), held(75)).size(), "a rejection fails the check");
        assertEquals(1, FleetSimulator.compare("k1", "events", queued(75, 0, 2, 0), Map.of(), held(75)).size(), "an eviction fails the check");
        assertEquals(1, FleetSimulator.compare("k1", "events", queued(75, 0, 0, 3), Map.of(), held(75)).size(), "pending records fail the check");
    }

    @Test
    void sessionsEndingInOtherStatuses_fail() {
        var problems = FleetSimulator.compare("k1", "sessions", queued(3, 0, 0, 0), Map.of("completed", 2L, "abandoned", 1L),
                new OperatorClient.Held(3, Map.of("completed", 2L, "in_progress", 1L)));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("session statuses"));
    }
}
