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
 * day's {@code day-index}, all shards in parallel, page by page, each item handed to a sink as it arrives, so
 * memory holds one page per shard, never the day. Never a Scan.
 */
public final class DayReader {

    /** A table's day index: its name, write shards, and whether items must be fetched whole by key. */
    public record DaySource(String kind, String table, int shards, String keyAttr, boolean fetchWholeItems) {
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
    public long read(DaySource source, LocalDate day, Consumer<Map<String, AttributeValue>> sink) {
        return readShards(source, day, shard -> sink::accept);
    }

    /**
     * Reads every shard of the day in parallel, each into the sink {@code sinks} makes for its shard number; waits
     * for all shards, then rethrows the first failure. Returns how many items were read.
     */
    public long readShards(DaySource source, LocalDate day, IntFunction<ShardSink> sinks) {
        AtomicLong count = new AtomicLong();
        List<Future<?>> shards = new ArrayList<>();
        List<String> keys = DayShards.allKeys(day, source.shards());
        for (int i = 0; i < keys.size(); i++) {
            int shard = i;
            shards.add(pool.submit(() -> {
                ShardSink sink = sinks.apply(shard);
                try {
                    readShard(source, keys.get(shard), item -> {
                        count.incrementAndGet();
                        sink.accept(item);
                    });
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
        forEach(jobs, Runnable::run);
    }

    /** Runs {@code action} on every element on the reader pool and waits; rethrows the first failure. */
    public <T> void forEach(List<T> elements, Consumer<T> action) {
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
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(source.table()).indexName("day-index")
                    .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", "dayShard"))
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(shardKey)));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            List<Map<String, AttributeValue>> items = source.fetchWholeItems()
                    ? BatchReader.read(dynamo, source.table(), source.keyAttr(), page.items()) : page.items();
            items.forEach(sink);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
