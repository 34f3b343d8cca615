package kiosk.telemetry.aggregate.insights;

/**
 * The statistics of the experiments insight: the Wilson score interval of a conversion rate and the two-sided
 * two-proportion z-test with pooled standard error (docs/insights.md, "Experiments"). Plain functions.
 */
public final class Proportions {

    /** The 95 % two-sided normal quantile the contract fixes. */
    public static final double Z95 = 1.96;

    private Proportions() {
    }

    /** The Wilson score interval {lower, upper} of {@code successes} in {@code trials} at normal quantile {@code z}; [0, 0] without trials. */
    public static double[] wilson(long successes, long trials, double z) {
        if (trials == 0) {
            return new double[]{0, 0};
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /**
     * The z statistic of variant (x2 of n2) against control (x1 of n1), pooled standard error; 0 when that error
     * is 0 (no trials, or every trial alike in both).
     */
    public static double zStatistic(long x1, long n1, long x2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return 0;
        }
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return 0;
        }
        return ((double) x2 / n2 - (double) x1 / n1) / se;
    }

    /** The two-sided p-value of the two-proportion z-test; 1 when the pooled standard error is 0. */
    public static double twoSidedPValue(long x1, long n1, long x2, long n2) {
        double z = zStatistic(x1, n1, x2, n2);
        return z == 0 ? 1 : erfc(Math.abs(z) / Math.sqrt(2));
    }

    /** The standard normal distribution function. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /**
     * The complementary error function by the Chebyshev fit of Press et al. (Numerical Recipes, {@code erfcc}):
     * relative error below 1.2e-7 everywhere, so p-values keep 4 significant digits deep in the tail.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
