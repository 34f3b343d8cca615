package kiosk.telemetry.core.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Millisecond timings in logarithmic buckets, so that the histograms of many devices and days add up to one
 * whose percentiles stay close to the exact ones (docs/insights.md, "Timing histograms").
 *
 * <p>A value {@code v ≥ 1} is counted in bucket {@code i = ceil(ln v / ln γ)} with {@code γ = (1 + α) / (1 − α)}
 * and {@code α = 0.004}; the bucket's representative {@code 2γ^i / (γ + 1)} is within {@code α} of every value the
 * bucket can hold. Below 125 ms a bucket is narrower than 1 ms, holds one integer, and the representative
 * rounds back to it exactly. Rounded to whole milliseconds, a percentile read from the buckets is within 0.8 %
 * of the exact nearest-rank percentile of the values counted. Zero counts apart; the exact minimum and maximum
 * are kept, and every answer is clamped to them.
 *
 * <p>Merging adds counts bucket by bucket; the JSON form lists the buckets in index order, so equal contents
 * give equal text whatever order the parts were merged in. Not thread-safe.
 */
public final class TimingHistogram {

    /** The relative accuracy of one bucket's representative. */
    public static final double ALPHA = 0.004;
    private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
    private static final double LN_GAMMA = Math.log(GAMMA);

    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    private long zeros;
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Counts one timing; negative values are not timings and are refused. */
    public void add(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("a timing cannot be negative: " + ms);
        }
        if (ms == 0) {
            zeros++;
        } else {
            buckets.merge(index(ms), 1L, Long::sum);
        }
        count++;
        min = Math.min(min, ms);
        max = Math.max(max, ms);
    }

    /** Adds every count of {@code other} to this one. */
    public void merge(TimingHistogram other) {
        other.buckets.forEach((i, n) -> buckets.merge(i, n, Long::sum));
        zeros += other.zeros;
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** The number of non-empty buckets: what the JSON form costs, about 12 bytes each. */
    public int buckets() {
        return buckets.size();
    }

    /**
     * The nearest-rank percentile {@code p} (0 < p ≤ 100): the value at rank {@code ceil(p/100 × count)},
     * read from its bucket, in whole milliseconds. Throws when nothing was counted.
     */
    public long percentile(double p) {
        if (count == 0) {
            throw new IllegalStateException("no timings counted");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100: " + p);
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100 * count));
        if (rank == count) {
            return max;
        }
        long seen = zeros;
        if (rank <= seen) {
            return 0;
        }
        for (Map.Entry<Integer, Long> b : buckets.entrySet()) {
            seen += b.getValue();
            if (rank <= seen) {
                long v = Math.round(representative(b.getKey()));
                return Math.min(max, Math.max(min, v));
            }
        }
        return max;
    }

    public long max() {
        if (count == 0) {
            throw new IllegalStateException("no timings counted");
        }
        return max;
    }

    /** {@code {"alpha":0.004,"count":n,"zeros":n,"min":ms,"max":ms,"buckets":[[index,count],…]}}, buckets by index. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("alpha", ALPHA).put("count", count).put("zeros", zeros);
        if (count > 0) {
            o.put("min", min).put("max", max);
        }
        ArrayNode list = o.putArray("buckets");
        buckets.forEach((i, n) -> list.addArray().add(i).add(n));
        return o;
    }

    /** Reads the form {@link #toJson()} writes; another {@code alpha} was bucketed differently and is refused. */
    public static TimingHistogram fromJson(JsonNode json) {
        if (json.path("alpha").asDouble() != ALPHA) {
            throw new IllegalArgumentException("a timing histogram with alpha " + json.path("alpha") + ", not " + ALPHA);
        }
        TimingHistogram h = new TimingHistogram();
        h.zeros = json.path("zeros").asLong();
        h.count = json.path("count").asLong();
        if (h.count > 0) {
            h.min = json.path("min").asLong();
            h.max = json.path("max").asLong();
        }
        long sum = h.zeros;
        for (JsonNode b : json.path("buckets")) {
            h.buckets.put(b.get(0).asInt(), b.get(1).asLong());
            sum += b.get(1).asLong();
        }
        if (sum != h.count) {
            throw new IllegalArgumentException("a timing histogram whose buckets hold " + sum + " values and whose count is " + h.count);
        }
        return h;
    }

    static int index(long ms) {
        return (int) Math.ceil(Math.log(ms) / LN_GAMMA);
    }

    static double representative(int index) {
        return 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
    }
}
