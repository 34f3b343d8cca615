package kiosk.telemetry.core.dynamo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts whole items (or deletes them), unconditionally, up to {@value #MAX_ITEMS} in one {@code BatchWriteItem}, sending the items
 * DynamoDB leaves unprocessed again with backoff ({@link BatchRounds}).
 */
public final class BatchWriter {

    /** BatchWriteItem's limit of items per request. */
    public static final int MAX_ITEMS = 25;

    private BatchWriter() {
    }

    public static void put(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS + " items per batch write, got " + items.size());
        }
        List<WriteRequest> writes = new ArrayList<>(items.size());
        for (var item : items) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        send(dynamo, table, writes);
    }

    /** Puts any number of items, {@value #MAX_ITEMS} a request, one request after another. */
    public static void putAll(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += MAX_ITEMS) {
            put(dynamo, table, items.subList(i, Math.min(items.size(), i + MAX_ITEMS)));
        }
    }

    /** Deletes the items of any number of keys, {@value #MAX_ITEMS} a request. */
    public static void deleteAll(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        for (int i = 0; i < keys.size(); i += MAX_ITEMS) {
            List<WriteRequest> writes = new ArrayList<>();
            for (var key : keys.subList(i, Math.min(keys.size(), i + MAX_ITEMS))) {
                writes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build());
            }
            send(dynamo, table, writes);
        }
    }

    private static void send(DynamoDbClient dynamo, String table, List<WriteRequest> writes) {
        Map<String, List<WriteRequest>> pending = writes.isEmpty() ? Map.of() : Map.of(table, writes);
        for (int round = 0; !pending.isEmpty(); round++) {
            BatchRounds.await(round, "batch write of " + table);
            Map<String, List<WriteRequest>> request = pending;
            var response = dynamo.batchWriteItem(b -> b.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }
}
