package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.dynamo.DayShards;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.LocalDate;
import java.util.ArrayList;
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
 * day's {@code day-index} (for events, of their session-day directory's, then each session's Query), all shards in parallel, page by page, each item handed to a sink as it arrives, so
 * memory holds one page per shard, never the day. Never a Scan.
 */
public final class DayReader {

    /** Where one kind's records of a day are found. */
    public sealed interface Source permits DaySource, SessionDaySource {
        String kind();

        int shards();
    }

    /** A table's day index: its name, write shards, and whether items must be fetched whole by key. */
    public record DaySource(String kind, String table, int shards, String keyAttr, boolean fetchWholeItems) implements Source {
    }

    /**
     * Records keyed by session ({@code sessionId} + a sort key) with no day index of their own: the day's sessions come
     * from a directory ({@code directoryTable}, keys-only {@code day-index} on {@code dayShard} sorted by
     * {@code sessionId}), then each session's records of the day ({@code day} attribute) by a Query on the table key.
     * With {@code legacyDayIndex}, records of the old layout (those with {@code ts}) are read from the table's own
     * {@code day-index} first, and only there.
     */
    public record SessionDaySource(String kind, String table, String directoryTable, int shards, boolean legacyDayIndex)
            implements Source {
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
                        readSessionShard(s, day, keys.get(shard), counted);
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
        queryAll(dayIndexQuery(source.table(), shardKey), page -> (source.fetchWholeItems()
                ? BatchReader.read(dynamo, source.table(), source.keyAttr(), page) : page).forEach(sink));
    }

    /**
     * One shard of a day of session-keyed records: the old layout's records of the shard (while they are read), then
     * the directory's sessions of the shard in session id order, each session's records of the day in sort-key order.
     * A session listed more than once (entries of several devices) is read once.
     */
    private void readSessionShard(SessionDaySource source, LocalDate day, String shardKey, Consumer<Map<String, AttributeValue>> sink) {
        if (source.legacyDayIndex()) {
            queryAll(dayIndexQuery(source.table(), shardKey), page -> page.forEach(sink));
        }
        String[] previous = {null};
        queryAll(QueryRequest.builder().tableName(source.directoryTable()).indexName("day-index")
                .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", "dayShard"))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(shardKey))), page -> {
            for (Map<String, AttributeValue> entry : page) {
                String sessionId = entry.get("sessionId").s();
                if (sessionId.equals(previous[0])) {
                    continue;
                }
                previous[0] = sessionId;
                queryAll(QueryRequest.builder().tableName(source.table()).keyConditionExpression("#s = :s")
                        .filterExpression("#day = :day AND attribute_not_exists(#ts)")
                        .expressionAttributeNames(Map.of("#s", "sessionId", "#day", "day", "#ts", "ts"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(sessionId), ":day", AttributeValue.fromS(day.toString()))),
                        records -> records.forEach(sink));
            }
        });
    }

    private static QueryRequest.Builder dayIndexQuery(String table, String shardKey) {
        return QueryRequest.builder().tableName(table).indexName("day-index")
                .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", "dayShard"))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(shardKey)));
    }

    /** Every page of a Query, in order. */
    private void queryAll(QueryRequest.Builder q, Consumer<List<Map<String, AttributeValue>>> pages) {
        Map<String, AttributeValue> start = null;
        do {
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            pages.accept(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
