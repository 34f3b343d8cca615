package kiosk.telemetry.aggregate.archive;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * One run's archive of one reporting day. Each day shard of each table streams into its own Parquet file, which is
 * uploaded under the run's staging prefix when the shard has been read to its end. Only when every file of the day
 * is staged does {@link #publish} copy them to {@code <table>/dt=<day>/part-<shard>.parquet} and delete what else
 * is there; a failed run never touches the published day.
 * <p>
 * File names and contents depend only on the stored records (a shard's records are read in a fixed order: its
 * Query's sort-key order, or for events its sessions' ids and then sequence numbers; and every record lives in
 * exactly one shard), so re-running a day rewrites the same bytes.
 */
public final class DayArchive {

    /** Receives one day shard's records in order; {@link #finish()} at the end of the shard, {@link #abort()} on failure. */
    public interface ShardWriter {
        void add(Map<String, AttributeValue> item);

        void finish();

        void abort();
    }

    private final ArchiveStore store;
    private final LocalDate day;
    private final String stagingRoot;
    private final Path workDir;
    private final int rowGroupBytes;
    /** table name → shard → rows of the staged file. */
    private final Map<String, Map<Integer, Long>> staged = new ConcurrentHashMap<>();

    public DayArchive(ArchiveStore store, LocalDate day, String stagingPrefix, String runId, Path workDir, int rowGroupBytes) {
        this.store = store;
        this.day = day;
        this.stagingRoot = stagingPrefix + runId + "/";
        this.workDir = workDir;
        this.rowGroupBytes = rowGroupBytes;
    }

    /** A writer for one shard of {@code table} that also hands every record to {@code alsoTo} (the day's summaries). */
    public ShardWriter shard(ArchiveTable table, int shard, Consumer<Map<String, AttributeValue>> alsoTo) {
        ParquetPart part = new ParquetPart(table, workDir.resolve("archive-" + table.name() + "-" + day + "-" + shard + "-"
                + Thread.currentThread().getId() + "-" + System.nanoTime() + ".parquet"), rowGroupBytes);
        return new ShardWriter() {
            @Override
            public void add(Map<String, AttributeValue> item) {
                alsoTo.accept(item);
                part.add(item);
            }

            @Override
            public void finish() {
                try {
                    if (part.finish()) {
                        store.put(stagingKey(table, shard), part.file());
                        staged.computeIfAbsent(table.name(), t -> new ConcurrentSkipListMap<>()).put(shard, part.rows());
                    }
                } finally {
                    part.close();
                }
            }

            @Override
            public void abort() {
                part.close();
            }
        };
    }

    /** Archives rows that are already in memory (the day's summaries) as one file. */
    public void addAll(ArchiveTable table, List<Map<String, AttributeValue>> rows) {
        ShardWriter w = shard(table, 0, it -> { });
        try {
            rows.forEach(w::add);
            w.finish();
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /** Rows staged for {@code table}. */
    public long rows(ArchiveTable table) {
        return staged.getOrDefault(table.name(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Runs a list of independent jobs in parallel and returns when all are done, rethrowing the first failure. */
    public interface Parallel {
        void runAll(List<Runnable> jobs);
    }

    /**
     * Makes the staged files the day's archive: copies each into place (the copies in parallel, as S3 copies are
     * independent round trips), deletes every other file of the day's folders (a table without records that day
     * ends with none), then removes the staging copies. Returns the number of objects the day's archive now has.
     */
    public int publish(Parallel parallel) {
        List<Runnable> copies = new ArrayList<>();
        Map<ArchiveTable, Set<String>> fresh = new LinkedHashMap<>();
        for (ArchiveTable table : ArchiveTable.ALL) {
            Set<String> keys = new HashSet<>();
            for (int shard : staged.getOrDefault(table.name(), Map.of()).keySet()) {
                String key = table.dayPrefix(day) + ArchiveTable.fileName(shard);
                copies.add(() -> store.copy(stagingKey(table, shard), key));
                keys.add(key);
            }
            fresh.put(table, keys);
        }
        parallel.runAll(copies);
        int objects = 0;
        for (var table : fresh.entrySet()) {
            List<String> stale = new ArrayList<>();
            for (String key : store.list(table.getKey().dayPrefix(day))) {
                if (!table.getValue().contains(key)) {
                    stale.add(key);
                }
            }
            store.delete(stale);
            objects += table.getValue().size();
        }
        discard();
        return objects;
    }

    /** Deletes this run's staged files of the day (after publishing, or after a failure). */
    public void discard() {
        store.delete(store.list(stagingRoot + "dt=" + day + "/"));
    }

    private String stagingKey(ArchiveTable table, int shard) {
        return stagingRoot + "dt=" + day + "/" + table.name() + "/" + ArchiveTable.fileName(shard);
    }
}
