package kiosk.telemetry.core.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A mergeable count of distinct devices: exact while small, HyperLogLog when large (docs/insights.md,
 * "Distinct devices").
 *
 * <p>Each device id is hashed to 64 bits (FNV-1a over its UTF-8 bytes, then the SplitMix64 finaliser). Up to
 * {@value #EXACT_LIMIT} distinct hashes are kept as a sorted set, so a store's or a day's count is exact. Past
 * that the sketch turns into {@code 2^14} HyperLogLog registers (standard error about 0.8 %), read with Ertl's
 * improved estimator. Merging is a set union or a register-wise maximum, so the
 * result does not depend on the order of the parts. Not thread-safe.
 *
 * <p>Stored form: {@code "x:" + base64(sorted hashes, 8 bytes each)} or {@code "h:" + base64(registers)}.
 */
public final class DeviceSketch {

    static final int EXACT_LIMIT = 1024;
    private static final int P = 14;
    private static final int M = 1 << P;

    private long[] hashes = new long[0];
    private int size;
    private byte[] registers;

    /** Counts a device once, however often it is added. */
    public void add(String deviceId) {
        addHash(hash(deviceId));
    }

    /** Adds every device of {@code other}. */
    public void merge(DeviceSketch other) {
        if (other.registers != null) {
            densify();
            for (int i = 0; i < M; i++) {
                registers[i] = (byte) Math.max(registers[i], other.registers[i]);
            }
            return;
        }
        for (int i = 0; i < other.size; i++) {
            addHash(other.hashes[i]);
        }
    }

    /** The number of distinct devices: exact up to {@value #EXACT_LIMIT}, else estimated. */
    public long estimate() {
        if (registers == null) {
            return size;
        }
        // Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017):
        // unbiased from a few devices to billions, without HyperLogLog++'s empirical bias tables.
        int q = 64 - P;
        int[] c = new int[q + 2];
        for (byte r : registers) {
            c[r]++;
        }
        double z = M * tau(1 - (double) c[q + 1] / M);
        for (int k = q; k >= 1; k--) {
            z = 0.5 * (z + c[k]);
        }
        z += M * sigma((double) c[0] / M);
        return Math.round(M / (2 * Math.log(2)) * M / z);
    }

    private static double sigma(double x) {
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (z != previous);
        return z;
    }

    private static double tau(double x) {
        if (x == 0 || x == 1) {
            return 0;
        }
        double y = 1;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (z != previous);
        return z / 3;
    }

    public String encode() {
        if (registers != null) {
            return "h:" + Base64.getEncoder().encodeToString(registers);
        }
        ByteBuffer b = ByteBuffer.allocate(size * Long.BYTES);
        for (int i = 0; i < size; i++) {
            b.putLong(hashes[i]);
        }
        return "x:" + Base64.getEncoder().encodeToString(b.array());
    }

    public static DeviceSketch decode(String encoded) {
        DeviceSketch s = new DeviceSketch();
        byte[] bytes = Base64.getDecoder().decode(encoded.substring(2));
        if (encoded.startsWith("h:") && bytes.length == M) {
            s.registers = bytes;
        } else if (encoded.startsWith("x:") && bytes.length % Long.BYTES == 0 && bytes.length / Long.BYTES <= EXACT_LIMIT) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                s.addHash(b.getLong());
            }
        } else {
            throw new IllegalArgumentException("not a device sketch: " + encoded.substring(0, Math.min(8, encoded.length())) + "…");
        }
        return s;
    }

    private void addHash(long h) {
        if (registers != null) {
            register(h);
            return;
        }
        int at = Arrays.binarySearch(hashes, 0, size, h);
        if (at >= 0) {
            return;
        }
        if (size == EXACT_LIMIT) {
            densify();
            register(h);
            return;
        }
        int insert = -at - 1;
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.max(8, size * 2));
        }
        System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
        hashes[insert] = h;
        size++;
    }

    private void densify() {
        if (registers != null) {
            return;
        }
        registers = new byte[M];
        for (int i = 0; i < size; i++) {
            register(hashes[i]);
        }
        hashes = new long[0];
        size = 0;
    }

    private void register(long h) {
        int index = (int) (h >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }
}
