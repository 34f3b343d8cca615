package kiosk.telemetry.core.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distinct devices over days: exact for a store or a day of a small fleet, within 2 % for a large fleet over a month. */
class DeviceSketchTest {

    private static void assertWithin2Percent(long exact, long estimate) {
        double err = Math.abs(estimate - exact) / (double) exact;
        assertTrue(err <= 0.02, "exact " + exact + ", estimated " + estimate + " (" + err + ")");
    }

    @Test
    void upToTheExactLimit_theCountIsExact_throughTheStoredForm() {
        DeviceSketch a = new DeviceSketch();
        DeviceSketch b = new DeviceSketch();
        for (int i = 0; i < 700; i++) {
            a.add("kiosk-" + i);
            b.add("kiosk-" + (i + 300)); // 400 shared with a
        }
        a.add("kiosk-1");
        DeviceSketch merged = DeviceSketch.decode(a.encode());
        merged.merge(DeviceSketch.decode(b.encode()));
        assertEquals(1000, merged.estimate());
    }

    @Test
    void aMonthOfAHundredThousandKiosks_withChurn_isWithin2Percent_inAnyMergeOrder() {
        Random r = new Random(42);
        Set<String> exact = new HashSet<>();
        DeviceSketch forward = new DeviceSketch();
        DeviceSketch[] days = new DeviceSketch[30];
        for (int d = 0; d < 30; d++) {
            days[d] = new DeviceSketch();
            for (int i = 0; i < 60_000; i++) {
                String id = "kiosk-" + r.nextInt(100_000) + (d >= 20 ? "-new" : "");
                days[d].add(id);
                exact.add(id);
            }
            forward.merge(DeviceSketch.decode(days[d].encode()));
        }
        DeviceSketch backward = new DeviceSketch();
        for (int d = 29; d >= 0; d--) {
            backward.merge(days[d]);
        }
        assertWithin2Percent(exact.size(), forward.estimate());
        assertEquals(forward.encode(), backward.encode());
    }

    @Test
    void justPastTheExactLimit_andMidRange_areWithin2Percent() {
        for (int n : new int[]{1_025, 3_000, 20_000, 45_000}) {
            DeviceSketch s = new DeviceSketch();
            for (int i = 0; i < n; i++) {
                s.add("device-" + n + "-" + i);
            }
            assertWithin2Percent(n, DeviceSketch.decode(s.encode()).estimate());
        }
    }

    @Test
    void somethingElse_isNotReadAsASketch() {
        assertThrows(IllegalArgumentException.class, () -> DeviceSketch.decode("h:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> DeviceSketch.decode("q:AAAAAAAAAAA="));
    }
}
