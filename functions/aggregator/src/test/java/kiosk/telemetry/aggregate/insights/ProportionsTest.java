package kiosk.telemetry.aggregate.insights;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against published values, not the code's own output. */
class ProportionsTest {

    /**
     * Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
     * Statistics in Medicine 17 (1998), Table II, method 3 (Wilson score, without continuity correction).
     */
    @Test
    void wilsonIntervals_matchNewcombe1998() {
        assertInterval(0.2553, 0.3662, Proportions.wilson(81, 263, Proportions.Z95));
        assertInterval(0.0624, 0.1605, Proportions.wilson(15, 148, Proportions.Z95));
        assertInterval(0.0000, 0.1611, Proportions.wilson(0, 20, Proportions.Z95));
        assertInterval(0.0061, 0.1718, Proportions.wilson(1, 29, Proportions.Z95));
    }

    private static void assertInterval(double lo, double hi, double[] got) {
        assertEquals(lo, got[0], 0.00005, "lower");
        assertEquals(hi, got[1], 0.00005, "upper");
    }

    /** The standard normal table every statistics textbook prints. */
    @Test
    void normalDistribution_matchesTheTable() {
        assertEquals(0.5000, Proportions.normalCdf(0), 0.00005);
        assertEquals(0.8413, Proportions.normalCdf(1.00), 0.00005);
        assertEquals(0.9750, Proportions.normalCdf(1.96), 0.00005);
        assertEquals(0.9901, Proportions.normalCdf(2.33), 0.00005);
        assertEquals(0.0013, Proportions.normalCdf(-3.00), 0.00005);
        // two-sided tail at z = 3.29 is 0.001, at z = 4.417 it is 1e-5 (4 significant digits in the far tail)
        assertEquals(0.001000, 2 * Proportions.normalCdf(-3.2905), 0.0000005);
        assertEquals(1.000e-5, 2 * Proportions.normalCdf(-4.4172), 0.002e-5);
    }

    /**
     * Worked by hand: control 100 of 1,000, variant 130 of 1,000. Pooled p = 230/2,000 = 0.115; standard error
     * sqrt(0.115 × 0.885 × (1/1000 + 1/1000)) = 0.014267; z = 0.030 / 0.014267 = 2.1028; two-sided p from the
     * table, 2 × (1 − Φ(2.10)) ≈ 2 × 0.0179 = 0.036 (0.0355 interpolated).
     */
    @Test
    void twoProportionZTest_matchesAHandWorkedExample() {
        assertEquals(2.1028, Proportions.zStatistic(100, 1000, 130, 1000), 0.0005);
        assertEquals(0.0355, Proportions.twoSidedPValue(100, 1000, 130, 1000), 0.0005);
        assertEquals(-2.1028, Proportions.zStatistic(130, 1000, 100, 1000), 0.0005, "a worse variant has a negative z");
    }

    @Test
    void withoutVariance_thePValueIs1() {
        assertEquals(1.0, Proportions.twoSidedPValue(0, 10, 0, 10));
        assertEquals(1.0, Proportions.twoSidedPValue(10, 10, 5, 5));
        assertEquals(1.0, Proportions.twoSidedPValue(0, 0, 3, 10));
    }
}
