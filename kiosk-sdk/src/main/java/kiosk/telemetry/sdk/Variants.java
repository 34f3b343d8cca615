package kiosk.telemetry.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic variant assignment, the same in the Java and the TypeScript SDK (and in any tool that wants to
 * re-derive an assignment):
 * <ol>
 *   <li>{@code digest = SHA-256(UTF-8(unit + ":" + experimentName))}, where {@code unit} is the device id or the
 *       session id (see {@link Experiment.Unit});</li>
 *   <li>{@code h} = the digest's first 4 bytes as an unsigned big-endian integer, {@code 0 ≤ h < 2^32}; the unit's
 *       position is {@code h / 2^32}, in [0, 1);</li>
 *   <li>{@code W} = the sum of the variants' integer weights ({@code 1 ≤ W ≤ 2^20}), and
 *       {@code point = floor(h × W / 2^32)}, an integer in [0, W) (exact: {@code h × W < 2^52});</li>
 *   <li>the variant is the first, in the declared order, whose cumulative weight exceeds {@code point}.</li>
 * </ol>
 * Only integer arithmetic is involved, so no floating-point rounding can make two implementations disagree.
 * Shared vectors: {@code sdk-test-vectors/variants.json}, computed with Python's {@code hashlib}.
 */
public final class Variants {

    private Variants() {
    }

    /** The unit's position for the experiment, {@code h}, in [0, 2^32). */
    public static long hash(String unit, String experimentName) {
        byte[] d = sha256((unit + ":" + experimentName).getBytes(StandardCharsets.UTF_8));
        return ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
    }

    /** The unit's position as a fraction in [0, 1). */
    public static double position(String unit, String experimentName) {
        return hash(unit, experimentName) / 4294967296.0;
    }

    /** The variant {@code unit} gets in {@code experiment}, or null when the experiment has no weight at all. */
    public static String assign(String unit, Experiment experiment) {
        long total = experiment.totalWeight();
        if (unit == null || total <= 0) {
            return null;
        }
        long point = (hash(unit, experiment.name()) * total) >>> 32;
        List<String> variants = experiment.variantList();
        List<Integer> weights = experiment.weightList();
        long cumulative = 0;
        for (int i = 0; i < variants.size(); i++) {
            cumulative += weights.get(i);
            if (point < cumulative) {
                return variants.get(i);
            }
        }
        throw new IllegalStateException("unreachable: point " + point + " ≥ total weight " + total);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
