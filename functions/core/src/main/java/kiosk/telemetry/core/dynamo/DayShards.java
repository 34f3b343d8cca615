package kiosk.telemetry.core.dynamo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Write-sharded day partitions ({@code 2025-01-19#3}) for the per-day indexes: a record's shard is a stable hash
 * of its id, so one day's writes spread over {@code shards} index partitions and the aggregator can read one
 * day with one {@code Query} per shard in parallel.
 */
public final class DayShards {

    /** How many shards of a day a list reads at once. */
    private static final int READERS = 16;

    private static volatile ExecutorService readers;

    private DayShards() {
    }

    public static int shardOf(String id, int shards) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    public static String key(LocalDate day, int shard) {
        return day + "#" + shard;
    }

    public static String keyFor(LocalDate day, String id, int shards) {
        return key(day, shardOf(id, shards));
    }

    public static List<String> allKeys(LocalDate day, int shards) {
        List<String> out = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            out.add(key(day, i));
        }
        return out;
    }

    /** {@link #readEach(List, Function)} over every shard of {@code day}. */
    public static <T> List<T> readEach(LocalDate day, int shards, Function<String, List<T>> read) {
        return readEach(allKeys(day, shards), read);
    }

    /**
     * One read per partition key (a day's shards, a day's sessions), {@value #READERS} at a time, their results joined
     * in key order: the partitions are independent, so a list that must read them all waits for the slowest, not for
     * the sum. Rethrows the first failure after every read has ended.
     */
    public static <T> List<T> readEach(List<String> keys, Function<String, List<T>> read) {
        if (keys.size() == 1) {
            return read.apply(keys.get(0));
        }
        List<Future<List<T>>> reads = new ArrayList<>(keys.size());
        for (String key : keys) {
            reads.add(readers().submit(() -> read.apply(key)));
        }
        List<T> out = new ArrayList<>();
        RuntimeException first = null;
        for (Future<List<T>> f : reads) {
            try {
                out.addAll(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted reading " + keys.size() + " partitions", e);
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    /** Created on first use, never while a native image is built; daemon threads, so they never keep a JVM alive. */
    private static ExecutorService readers() {
        ExecutorService pool = readers;
        if (pool == null) {
            synchronized (DayShards.class) {
                pool = readers;
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(READERS, r -> {
                        Thread t = new Thread(r, "day-shard-reader");
                        t.setDaemon(true);
                        return t;
                    });
                    readers = pool;
                }
            }
        }
        return pool;
    }
}
