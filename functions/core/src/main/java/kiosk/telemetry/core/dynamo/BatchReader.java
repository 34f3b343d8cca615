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

    private static List<Map<String, AttributeValue>> read(DynamoDbClient dynamo, String table, String keyAttr,
                                                          List<Map<String, AttributeValue>> found, Map<String, String> projection) {
        Map<String, Map<String, AttributeValue>> byKey = new HashMap<>();
        for (int i = 0; i < found.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (var f : found.subList(i, Math.min(found.size(), i + 100))) {
                keys.add(Map.of(keyAttr, f.get(keyAttr)));
            }
            KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(keys).consistentRead(projection == null);
            if (projection != null) {
                request.projectionExpression(String.join(", ", projection.keySet())).expressionAttributeNames(projection);
            }
            Map<String, KeysAndAttributes> pending = Map.of(table, request.build());
            for (int round = 0; !pending.isEmpty(); round++) {
                BatchRounds.await(round, "batch read of " + table);
                var resp = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
                resp.responses().getOrDefault(table, List.of()).forEach(it -> byKey.put(it.get(keyAttr).s(), it));
                pending = resp.hasUnprocessedKeys() ? resp.unprocessedKeys() : Map.of();
            }
        }
        List<Map<String, AttributeValue>> out = new ArrayList<>(found.size());
        for (var f : found) {
            var item = byKey.get(f.get(keyAttr).s());
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }
}
