package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.store.Attribute;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads whole items for keys found in a keys-only (or partly projected) index page, in the page's order,
 * 100 keys per {@code BatchGetItem}, retrying unprocessed keys with backoff ({@link BatchRounds}).
 */
public final class BatchReader {

    private BatchReader() {
    }

    public static List<Map<String, AttributeValue>> read(DynamoDbClient dynamo, String table, String keyAttr,
                                                         List<Map<String, AttributeValue>> found) {
        return read(dynamo, table, keyAttr, found, null);
    }

    /**
     * Reads only {@code attributes} (the key is added) of the items, eventually consistent: for counts that may lag
     * a moment, at half the read units of a consistent read and without the rest of each item.
     */
    public static List<Map<String, AttributeValue>> readOnly(DynamoDbClient dynamo, String table, String keyAttr,
                                                             List<Map<String, AttributeValue>> found, List<Attribute<?>> attributes) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("#k", keyAttr);
        for (int i = 0; i < attributes.size(); i++) {
            names.put("#a" + i, attributes.get(i).name());
        }
        return read(dynamo, table, keyAttr, found, names);
    }

    /**
     * Which of {@code keys} (whole keys, any number of key attributes) name an item: the keys of the items found,
     * eventually consistent, no other attribute read.
     */
    public static List<Map<String, AttributeValue>> existing(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, String> projection = new LinkedHashMap<>();
        keys.get(0).keySet().forEach(name -> projection.put("#k" + projection.size(), name));
        return fetch(dynamo, table, keys, projection, false);
    }

    private static List<Map<String, AttributeValue>> read(DynamoDbClient dynamo, String table, String keyAttr,
                                                          List<Map<String, AttributeValue>> found, Map<String, String> projection) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(found.size());
        for (var f : found) {
            keys.add(Map.of(keyAttr, f.get(keyAttr)));
        }
        Map<String, Map<String, AttributeValue>> byKey = new HashMap<>();
        fetch(dynamo, table, keys, projection, projection == null).forEach(it -> byKey.put(it.get(keyAttr).s(), it));
        List<Map<String, AttributeValue>> out = new ArrayList<>(found.size());
        for (var f : found) {
            var item = byKey.get(f.get(keyAttr).s());
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    /** The items of {@code keys}, 100 keys a call, unprocessed keys sent again in further rounds; in no particular order. */
    private static List<Map<String, AttributeValue>> fetch(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                           Map<String, String> projection, boolean consistent) {
        List<Map<String, AttributeValue>> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i += 100) {
            KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(keys.subList(i, Math.min(keys.size(), i + 100)))
                    .consistentRead(consistent);
            if (projection != null) {
                request.projectionExpression(String.join(", ", projection.keySet())).expressionAttributeNames(projection);
            }
            Map<String, KeysAndAttributes> pending = Map.of(table, request.build());
            for (int round = 0; !pending.isEmpty(); round++) {
                BatchRounds.await(round, "batch read of " + table);
                var resp = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
                out.addAll(resp.responses().getOrDefault(table, List.of()));
                pending = resp.hasUnprocessedKeys() ? resp.unprocessedKeys() : Map.of();
            }
        }
        return out;
    }
}
