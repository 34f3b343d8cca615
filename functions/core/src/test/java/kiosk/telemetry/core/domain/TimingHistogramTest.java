package kiosk.telemetry.core.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Percentiles of merged histograms against the exact nearest-rank percentiles of all the values merged, for
 * timing shapes kiosks produce: skewed (log-normal), heavy-tailed (Pareto), two-humped, and tiny integers.
 */
class TimingHistogramTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double[] PERCENTILES = {1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};
    private static final double LIMIT = 0.01;

    /** Exact nearest-rank: the value at rank ceil(p/100 × n) of the sorted values. */
    private static long exact(long[] sorted, double p) {
        int rank = (int) Math.max(1, Math.ceil(p / 100 * sorted.length));
        return sorted[rank - 1];
    }

    /**
     * 200 devices of 1–400 timings each; every device's histogram goes through its JSON form (as summaries
     * store it) and is merged into the fleet's. Returns the worst relative error over the percentiles.
     */
    private static double worstError(LongSupplier timing, long seed) throws Exception {
        Random sizes = new Random(seed);
        List<Long> all = new ArrayList<>();
        TimingHistogram fleet = new TimingHistogram();
        for (int d = 0; d < 200; d++) {
            TimingHistogram device = new TimingHistogram();
            int n = 1 + sizes.nextInt(400);
            for (int i = 0; i < n; i++) {
                long v = timing.getAsLong();
                device.add(v);
                all.add(v);
            }
            JsonNode stored = MAPPER.readTree(MAPPER.writeValueAsString(device.toJson()));
            fleet.merge(TimingHistogram.fromJson(stored));
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        assertEquals(sorted.length, fleet.count());
        double worst = 0;
        for (double p : PERCENTILES) {
            long want = exact(sorted, p);
            long got = fleet.percentile(p);
            double err = want == 0 ? got : Math.abs(got - want) / (double) want;
            assertTrue(err <= LIMIT, "p" + p + ": exact " + want + ", from the histogram " + got + " (" + err + ")");
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void skewedLogNormalTimings_mergedOver200Devices_staysWithin1Percent() throws Exception {
        Random r = new Random(7);
        // capture-like: median 1.8 s, long right tail
        worstError(() -> Math.max(1, Math.round(Math.exp(Math.log(1800) + 0.6 * r.nextGaussian()))), 1);
    }

    @Test
    void heavyTailedParetoTimings_staysWithin1Percent() throws Exception {
        Random r = new Random(11);
        // Pareto, shape 1.1, from 40 ms: the p99.9 is thousands of times the median
        worstError(() -> Math.round(40 / Math.pow(1 - r.nextDouble(), 1 / 1.1)), 2);
    }

    @Test
    void twoHumpsAndTinyIntegers_staysWithin1Percent() throws Exception {
        Random r = new Random(13);
        worstError(() -> r.nextInt(10) < 7 ? 1 + r.nextInt(20) : 30_000 + r.nextInt(90_000), 3);
        Random z = new Random(17);
        worstError(() -> z.nextInt(4), 4); // zeros and 1–3 ms: exact
    }

    @Test
    void mergeOrder_doesNotChangeTheStoredForm() {
        Random r = new Random(5);
        List<TimingHistogram> parts = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            TimingHistogram h = new TimingHistogram();
            for (int i = 0; i < 50; i++) {
                h.add(r.nextInt(5000));
            }
            parts.add(h);
        }
        TimingHistogram forward = new TimingHistogram();
        parts.forEach(forward::merge);
        TimingHistogram backward = new TimingHistogram();
        for (int i = parts.size() - 1; i >= 0; i--) {
            backward.merge(parts.get(i));
        }
        assertEquals(forward.toJson().toString(), backward.toJson().toString());
    }

    @Test
    void smallValues_comeBackExactly_andTheStoredFormIsChecked() {
        TimingHistogram h = new TimingHistogram();
        long[] values = {0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 124};
        Arrays.stream(values).forEach(h::add);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], h.percentile(100.0 * (i + 1) / values.length));
        }
        assertEquals(124, h.max());
        assertThrows(IllegalArgumentException.class, () -> h.add(-1));
        assertThrows(IllegalStateException.class, () -> new TimingHistogram().percentile(50));

        var wrongCount = h.toJson().put("count", 99);
        assertThrows(IllegalArgumentException.class, () -> TimingHistogram.fromJson(wrongCount));
        var otherAlpha = h.toJson().put("alpha", 0.01);
        assertThrows(IllegalArgumentException.class, () -> TimingHistogram.fromJson(otherAlpha));
    }
}
