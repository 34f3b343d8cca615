package kiosk.telemetry.engines.iam;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What IAM authorises for one DynamoDB request: one IAM action on one table (or index) with the request's values of
 * the condition keys {@code dynamodb:Attributes}, {@code dynamodb:ReturnValues} and {@code dynamodb:Select}. A batch
 * or transaction is one access per table (BatchGetItem, BatchWriteItem) or per item (a transaction's Put, Update,
 * Delete, ConditionCheck and Get are authorised as PutItem, UpdateItem, DeleteItem, ConditionCheckItem and GetItem).
 */
public record DynamoAccess(String operation, String action, String table, String index, Map<String, List<String>> context) {

    public static final String ATTRIBUTES = "dynamodb:Attributes";
    public static final String RETURN_VALUES = "dynamodb:ReturnValues";
    public static final String SELECT = "dynamodb:Select";
    /**
     * Stands in {@code dynamodb:Attributes} for a read that names no attributes (no projection) and so returns all
     * of them: no list of attribute names allows it.
     */
    public static final String EVERY_ATTRIBUTE = "(every attribute)";

    private static final Set<String> KEYWORDS = Set.of("SET", "REMOVE", "ADD", "DELETE", "AND", "OR", "NOT", "BETWEEN", "IN");

    /** The accesses one request needs; a request of another service needs none. */
    public static List<DynamoAccess> of(SdkRequest request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        List<DynamoAccess> out = new ArrayList<>();
        if (request instanceof GetItemRequest r) {
            out.add(access(operation, "GetItem", r.tableName(), null, read(r.key().keySet(), r.expressionAttributeNames(),
                    r.projectionExpression(), r.attributesToGet(), true), null, null));
        } else if (request instanceof PutItemRequest r) {
            Set<String> names = new LinkedHashSet<>(r.item().keySet());
            names.addAll(r.expected().keySet());
            expressionNames(r.conditionExpression(), r.expressionAttributeNames(), names);
            out.add(access(operation, "PutItem", r.tableName(), null, names, r.returnValuesAsString(), null));
        } else if (request instanceof UpdateItemRequest r) {
            Set<String> names = new LinkedHashSet<>(r.key().keySet());
            names.addAll(r.attributeUpdates().keySet());
            names.addAll(r.expected().keySet());
            expressionNames(r.updateExpression(), r.expressionAttributeNames(), names);
            expressionNames(r.conditionExpression(), r.expressionAttributeNames(), names);
            out.add(access(operation, "UpdateItem", r.tableName(), null, names, r.returnValuesAsString(), null));
        } else if (request instanceof DeleteItemRequest r) {
            Set<String> names = new LinkedHashSet<>(r.key().keySet());
            names.addAll(r.expected().keySet());
            expressionNames(r.conditionExpression(), r.expressionAttributeNames(), names);
            out.add(access(operation, "DeleteItem", r.tableName(), null, names, r.returnValuesAsString(), null));
        } else if (request instanceof QueryRequest r) {
            Set<String> names = read(r.keyConditions().keySet(), r.expressionAttributeNames(), r.projectionExpression(), r.attributesToGet(),
                    !"COUNT".equals(r.selectAsString()));
            names.addAll(r.queryFilter().keySet());
            expressionNames(r.keyConditionExpression(), r.expressionAttributeNames(), names);
            expressionNames(r.filterExpression(), r.expressionAttributeNames(), names);
            out.add(access(operation, "Query", r.tableName(), r.indexName(), names, null, r.selectAsString()));
        } else if (request instanceof ScanRequest r) {
            Set<String> names = read(r.scanFilter().keySet(), r.expressionAttributeNames(), r.projectionExpression(), r.attributesToGet(),
                    !"COUNT".equals(r.selectAsString()));
            expressionNames(r.filterExpression(), r.expressionAttributeNames(), names);
            out.add(access(operation, "Scan", r.tableName(), r.indexName(), names, null, r.selectAsString()));
        } else if (request instanceof BatchGetItemRequest r) {
            r.requestItems().forEach((table, keys) -> out.add(access(operation, "BatchGetItem", table, null, batchRead(keys), null, null)));
        } else if (request instanceof BatchWriteItemRequest r) {
            r.requestItems().forEach((table, writes) -> out.add(access(operation, "BatchWriteItem", table, null, batchWrite(writes), null, null)));
        } else if (request instanceof TransactWriteItemsRequest r) {
            for (TransactWriteItem item : r.transactItems()) {
                out.add(transactWrite(operation, item));
            }
        } else if (request instanceof TransactGetItemsRequest r) {
            for (TransactGetItem item : r.transactItems()) {
                Get g = item.get();
                out.add(access(operation, "GetItem", g.tableName(), null, read(g.key().keySet(), g.expressionAttributeNames(),
                        g.projectionExpression(), List.of(), true), null, null));
            }
        } else {
            // any other operation (DescribeTable, ExecuteStatement, ...): its own name as the action, on its table if it has one
            String table = request.getValueForField("TableName", String.class).orElse(null);
            out.add(new DynamoAccess(operation, operation, table, null, Map.of()));
        }
        return out;
    }

    /** The action as a policy names it. */
    public String iamAction() {
        return "dynamodb:" + action;
    }

    private static DynamoAccess transactWrite(String operation, TransactWriteItem item) {
        Set<String> names = new LinkedHashSet<>();
        if (item.put() != null) {
            Put p = item.put();
            names.addAll(p.item().keySet());
            expressionNames(p.conditionExpression(), p.expressionAttributeNames(), names);
            return access(operation, "PutItem", p.tableName(), null, names, null, null);
        }
        if (item.update() != null) {
            Update u = item.update();
            names.addAll(u.key().keySet());
            expressionNames(u.updateExpression(), u.expressionAttributeNames(), names);
            expressionNames(u.conditionExpression(), u.expressionAttributeNames(), names);
            return access(operation, "UpdateItem", u.tableName(), null, names, null, null);
        }
        if (item.delete() != null) {
            Delete d = item.delete();
            names.addAll(d.key().keySet());
            expressionNames(d.conditionExpression(), d.expressionAttributeNames(), names);
            return access(operation, "DeleteItem", d.tableName(), null, names, null, null);
        }
        ConditionCheck c = item.conditionCheck();
        names.addAll(c.key().keySet());
        expressionNames(c.conditionExpression(), c.expressionAttributeNames(), names);
        return access(operation, "ConditionCheckItem", c.tableName(), null, names, null, null);
    }

    private static DynamoAccess access(String operation, String action, String table, String index, Set<String> attributes,
                                       String returnValues, String select) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put(ATTRIBUTES, List.copyOf(attributes));
        if (returnValues != null) {
            context.put(RETURN_VALUES, List.of(returnValues));
        }
        if (select != null) {
            context.put(SELECT, List.of(select));
        }
        return new DynamoAccess(operation, action, table, index, Map.copyOf(context));
    }

    /**
     * The attributes a read names: its keys and its projection, or every attribute when it returns items without
     * a projection.
     */
    private static Set<String> read(Collection<String> keys, Map<String, String> placeholders, String projection, List<String> attributesToGet,
                                    boolean returnsItems) {
        Set<String> names = new LinkedHashSet<>(keys);
        if (returnsItems && projection == null && attributesToGet.isEmpty()) {
            names.add(EVERY_ATTRIBUTE);
        }
        names.addAll(attributesToGet);
        expressionNames(projection, placeholders, names);
        return names;
    }

    private static Set<String> batchRead(KeysAndAttributes keys) {
        Set<String> keyNames = new LinkedHashSet<>();
        keys.keys().forEach(k -> keyNames.addAll(k.keySet()));
        return read(keyNames, keys.expressionAttributeNames(), keys.projectionExpression(), keys.attributesToGet(), true);
    }

    private static Set<String> batchWrite(List<WriteRequest> writes) {
        Set<String> names = new LinkedHashSet<>();
        for (WriteRequest w : writes) {
            Map<String, AttributeValue> named = w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key();
            names.addAll(named.keySet());
        }
        return names;
    }

    /**
     * Adds the top-level attributes an expression names: {@code #placeholders} resolved through {@code placeholders}
     * and plain names, but not keywords, functions, {@code :values} or the parts of a path after its first.
     */
    static void expressionNames(String expression, Map<String, String> placeholders, Set<String> into) {
        if (expression == null) {
            return;
        }
        int i = 0;
        int n = expression.length();
        boolean inPath = false;
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '#' || c == ':' || Character.isLetter(c) || c == '_') {
                int start = i++;
                while (i < n && (Character.isLetterOrDigit(expression.charAt(i)) || expression.charAt(i) == '_')) {
                    i++;
                }
                String token = expression.substring(start, i);
                int next = i;
                while (next < n && Character.isWhitespace(expression.charAt(next))) {
                    next++;
                }
                boolean function = c != '#' && c != ':' && next < n && expression.charAt(next) == '(';
                boolean keyword = c != '#' && c != ':' && KEYWORDS.contains(token.toUpperCase(Locale.ROOT));
                if (!inPath && c != ':' && !function && !keyword) {
                    into.add(c == '#' ? placeholders.getOrDefault(token, token) : token);
                }
                inPath = false;
            } else if (c == '.') {
                inPath = true;
                i++;
            } else if (c == '[') {
                while (i < n && expression.charAt(i) != ']') {
                    i++;
                }
                i++;
            } else {
                inPath = false;
                i++;
            }
        }
    }
}
