package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.SessionDayItem;
import kiosk.telemetry.core.store.Index;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Reads every record of one reporting day of one table: one {@code Query} stream per {@code dayShard} of the
 * day's {@code day-index} (for events and timings, of their session-day directory's, then each session's Query), all
 * shards in parallel, page by page, each item handed to a sink as it arrives, so
 * memory holds one page per shard, never the day. Never a Scan.
 */
public final class DayReader {

    /** Where one kind's records of a day are found. */
    public sealed interface Source permits DaySource, SessionDaySource {
        String kind();

        int shards();
    }

    /**
     * A table's day index (partition: the day shard), its write shards, the table's key, and whether items must be
     * fetched whole by key (the index projects less than the archive needs).
     */
    public record DaySource(String kind, String table, Index dayIndex, int shards, Attribute<String> key, boolean fetchWholeItems)
            implements Source {
    }

    /**
     * Events or timings, which have no day index of their own: the day's sessions come from the session-day directory
     * ({@code directoryTable}, {@link SessionDayItem#BY_DAY}), then each session's records of the day by a Query on
     * the table key ({@code sessionKey}: its partition attribute; {@code day}: the records' reporting day). Records of an
     * older layout ({@code legacy}, or null) are read from their day index first, and only there: a record with the
     * legacy index's sort attribute is skipped by the session Query.
     */
    public record SessionDaySource(String kind, String table, Attribute<String> sessionKey, Attribute<LocalDate> day,
                                   String directoryTable, int shards, LegacyDayIndex legacy) implements Source {
    }

    /** Where records of an older layout are read by day: a table's day index with its own shard count. */
    public record LegacyDayIndex(String table, Index dayIndex, int shards) {
    }

    private final DynamoDbClient dynamo;
    private final ExecutorService pool;

    public DayReader(DynamoDbClient dynamo, ExecutorService pool) {
        this.dynamo = dynamo;
        this.pool = pool;
    }

    /** Receives one day shard's items in the shard's sort-key order, on one thread. */
    public interface ShardSink {
        void accept(Map<String, AttributeValue> item);

        /** The shard was read to its end. */
        default void finish() {
        }

        /** Reading the shard failed. */
        default void abort() {
        }
    }

    /** Hands every item of the day to {@code sink} (from several threads); returns how many were read. */
    public long read(Source source, LocalDate day, Consumer<Map<String, AttributeValue>> sink) {
        return readShards(source, day, shard -> sink::accept);
    }

    /**
     * Reads every shard of the day in parallel, each into the sink {@code sinks} makes for its shard number; waits
     * for all shards, then rethrows the first failure. Returns how many items were read.
     */
    public long readShards(Source source, LocalDate day, IntFunction<ShardSink> sinks) {
        AtomicLong count = new AtomicLong();
        List<Future<?>> shards = new ArrayList<>();
        List<String> keys = DayShards.allKeys(day, source.shards());
        for (int i = 0; i < keys.size(); i++) {
            int shard = i;
            shards.add(pool.submit(() -> {
                ShardSink sink = sinks.apply(shard);
                try {
                    Consumer<Map<String, AttributeValue>> counted = item -> {
                        count.incrementAndGet();
                        sink.accept(item);
                    };
                    if (source instanceof SessionDaySource s) {
                        readSessionShard(s, day, shard, keys.get(shard), counted);
                    } else {
                        readShard((DaySource) source, keys.get(shard), counted);
                    }
                    sink.finish();
                } catch (RuntimeException e) {
                    sink.abort();
                    throw e;
                }
            }));
        }
        awaitAll(shards, source.kind() + " of " + day);
        return count.get();
    }

    /** Runs independent jobs on the reader pool and waits for all; rethrows the first failure. */
    public void runAll(List<Runnable> jobs) {
        inParallel(jobs, Runnable::run);
    }

    /** Runs {@code action} on every element on the reader pool and waits; rethrows the first failure. */
    public <T> void inParallel(List<T> elements, Consumer<T> action) {
        int parts = Math.max(1, Math.min(16, elements.size()));
        List<Future<?>> jobs = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int part = p;
            jobs.add(pool.submit(() -> {
                for (int i = part; i < elements.size(); i += parts) {
                    action.accept(elements.get(i));
                }
            }));
        }
        awaitAll(jobs, "parallel writes");
    }

    /** Waits for every job, so none is still running after a failure, then rethrows the first failure. */
    private static void awaitAll(List<Future<?>> jobs, String what) {
        RuntimeException first = null;
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + what, e);
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void readShard(DaySource source, String shardKey, Consumer<Map<String, AttributeValue>> sink) {
        queryAll(dayIndexQuery(source.table(), source.dayIndex(), shardKey), page -> (source.fetchWholeItems()
                ? BatchReader.read(dynamo, source.table(), source.key().name(), page) : page).forEach(sink));
    }

    /**
     * One shard of a day of session-keyed records: the old layout's records of the shard (while they are read; shard
     * numbers past the old index's own count have none), then the directory's sessions of the shard in session id order,
     * each session's records of the day in sort-key order. A session listed more than once (entries of several devices)
     * is read once.
     */
    private void readSessionShard(SessionDaySource source, LocalDate day, int shard, String shardKey, Consumer<Map<String, AttributeValue>> sink) {
        LegacyDayIndex legacy = source.legacy();
        Map<String, String> names = new HashMap<>(Map.of("#s", source.sessionKey().name(), "#day", source.day().name()));
        String filter = "#day = :day";
        if (legacy != null) {
            if (shard < legacy.shards()) {
                String legacyShard = DayShards.allKeys(day, legacy.shards()).get(shard);
                queryAll(dayIndexQuery(legacy.table(), legacy.dayIndex(), legacyShard), page -> page.forEach(sink));
            }
            names.put("#ts", legacy.dayIndex().sort().name());
            filter += " AND attribute_not_exists(#ts)";
        }
        String sessionFilter = filter;
        String[] previous = {null};
        queryAll(dayIndexQuery(source.directoryTable(), SessionDayItem.BY_DAY, shardKey), page -> {
            for (Map<String, AttributeValue> entry : page) {
                String sessionId = SessionDayItem.SESSION_ID.get(entry);
                if (sessionId.equals(previous[0])) {
                    continue;
                }
                previous[0] = sessionId;
                queryAll(QueryRequest.builder().tableName(source.table()).keyConditionExpression("#s = :s")
                        .filterExpression(sessionFilter).expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":s", source.sessionKey().value(sessionId), ":day", source.day().value(day))),
                        records -> records.forEach(sink));
            }
        });
    }

    /** One day shard of a day index, whose partition attribute holds the shard key. */
    private static QueryRequest.Builder dayIndexQuery(String table, Index dayIndex, String shardKey) {
        return QueryRequest.builder().tableName(table).indexName(dayIndex.name())
                .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", dayIndex.partition().name()))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(shardKey)));
    }

    /** Every page of a Query, in order. */
    private void queryAll(QueryRequest.Builder q, Consumer<List<Map<String, AttributeValue>>> pages) {
        dynamo.queryPaginator(q.build()).forEach(page -> pages.accept(page.items()));
    }
}
