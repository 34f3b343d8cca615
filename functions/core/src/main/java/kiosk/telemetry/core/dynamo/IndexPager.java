package kiosk.telemetry.core.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.page.CursorCodec;
import kiosk.telemetry.core.page.InvalidCursorException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages through one index by {@code Query} only, newest first (or oldest first), with an opaque cursor.
 * <p>
 * The partitions to read come in groups, read one group after the other: a group is either one partition
 * (a device, a store) or the write shards of one reporting day, whose items are merged by sort key so the
 * page comes out in order. The cursor holds, for the current group, each partition's last consumed key,
 * so a walk has no duplicates and no gaps whatever the page size.
 */
public final class IndexPager {

    /** A key condition range on the sort key, inclusive at both ends; null ends are open. */
    public record SortRange(String low, String high) {
    }

    /** An optional filter expression applied by DynamoDB after the key condition. */
    public record Filter(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        public static Filter none() {
            return new Filter(null, Map.of(), Map.of());
        }
    }

    public record Spec(String table, String index, String partitionAttr, String sortAttr, List<String> keyAttrs,
                       List<List<String>> groups, SortRange range, Filter filter, boolean newestFirst) {
    }

    public record Result(List<Map<String, AttributeValue>> items, String nextCursor) {
    }

    private final DynamoDbClient dynamo;

    public IndexPager(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    public Result page(Spec spec, int limit, String cursor, String scope) {
        int group = 0;
        Map<String, Position> positions = new HashMap<>();
        if (cursor != null) {
            JsonNode state = CursorCodec.decode(scope, cursor);
            group = state.path("g").asInt(-1);
            if (group < 0 || group >= spec.groups().size() || !state.path("p").isObject()) {
                throw new InvalidCursorException();
            }
            state.path("p").fields().forEachRemaining(e -> positions.put(e.getKey(), Position.fromJson(e.getValue())));
        }

        List<Map<String, AttributeValue>> out = new ArrayList<>(limit);
        while (group < spec.groups().size()) {
            List<String> partitions = spec.groups().get(group);
            Map<String, Stream> streams = new LinkedHashMap<>();
            for (String pk : partitions) {
                Position p = positions.getOrDefault(pk, Position.START);
                streams.put(pk, new Stream(pk, p));
            }
            while (out.size() < limit) {
                Stream best = null;
                for (Stream s : streams.values()) {
                    s.fill(spec, limit);
                    if (s.buffer.isEmpty()) {
                        continue;
                    }
                    if (best == null || before(spec, s.head(), best.head())) {
                        best = s;
                    }
                }
                if (best == null) {
                    break;
                }
                Map<String, AttributeValue> item = best.buffer.removeFirst();
                Position consumed = Position.after(keyOf(spec, item));
                best.position = best.position.endReached ? consumed.withEndReached() : consumed;
                out.add(item);
            }
            boolean groupDone = true;
            for (Stream s : streams.values()) {
                s.fill(spec, 1);
                if (!s.buffer.isEmpty() || !s.position.done) {
                    groupDone = false;
                }
            }
            if (out.size() >= limit) {
                if (groupDone && group + 1 >= spec.groups().size()) {
                    return new Result(out, null);
                }
                int nextGroup = groupDone ? group + 1 : group;
                ObjectNode state = JsonNodeFactory.instance.objectNode();
                state.put("g", nextGroup);
                ObjectNode ps = state.putObject("p");
                if (!groupDone) {
                    streams.values().forEach(s -> ps.set(s.partition, s.position.toJson()));
                }
                return new Result(out, CursorCodec.encode(scope, state));
            }
            group++;
            positions.clear();
        }
        return new Result(out, null);
    }

    private static boolean before(Spec spec, Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        int c = compare(a.get(spec.sortAttr()), b.get(spec.sortAttr()));
        return spec.newestFirst() ? c > 0 : c < 0;
    }

    private static int compare(AttributeValue a, AttributeValue b) {
        if (a.n() != null && b.n() != null) {
            return new BigDecimal(a.n()).compareTo(new BigDecimal(b.n()));
        }
        return a.s().compareTo(b.s());
    }

    private static Map<String, AttributeValue> keyOf(Spec spec, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String k : spec.keyAttrs()) {
            AttributeValue v = item.get(k);
            if (v != null) {
                key.put(k, v);
            }
        }
        return key;
    }

    private final class Stream {
        final String partition;
        Position position;
        final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();

        Stream(String partition, Position position) {
            this.partition = partition;
            this.position = position;
        }

        Map<String, AttributeValue> head() {
            return buffer.peekFirst();
        }

        /** Makes sure the buffer holds the partition's next item, unless the partition is exhausted. */
        void fill(Spec spec, int want) {
            while (buffer.isEmpty() && !position.done) {
                if (position.endReached || position.atFarBound(spec)) {
                    position = Position.DONE;
                    break;
                }
                Map<String, String> names = new HashMap<>(spec.filter().names());
                Map<String, AttributeValue> values = new HashMap<>(spec.filter().values());
                names.put("#pk", spec.partitionAttr());
                values.put(":pk", AttributeValue.fromS(partition));
                String condition = "#pk = :pk";
                SortRange r = spec.range();
                if (r != null && (r.low() != null || r.high() != null)) {
                    names.put("#sk", spec.sortAttr());
                    if (r.low() != null && r.high() != null) {
                        condition += " AND #sk BETWEEN :lo AND :hi";
                        values.put(":lo", AttributeValue.fromS(r.low()));
                        values.put(":hi", AttributeValue.fromS(r.high()));
                    } else if (r.low() != null) {
                        condition += " AND #sk >= :lo";
                        values.put(":lo", AttributeValue.fromS(r.low()));
                    } else {
                        condition += " AND #sk <= :hi";
                        values.put(":hi", AttributeValue.fromS(r.high()));
                    }
                }
                QueryRequest.Builder q = QueryRequest.builder()
                        .tableName(spec.table())
                        .keyConditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .scanIndexForward(!spec.newestFirst())
                        .limit(Math.max(want, 1));
                if (spec.index() != null) {
                    q.indexName(spec.index());
                }
                if (spec.filter().expression() != null) {
                    q.filterExpression(spec.filter().expression());
                }
                if (position.key != null) {
                    q.exclusiveStartKey(position.key);
                }
                QueryResponse resp = dynamo.query(q.build());
                buffer.addAll(resp.items());
                Map<String, AttributeValue> lek = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty()
                        ? resp.lastEvaluatedKey() : null;
                if (buffer.isEmpty()) {
                    position = lek == null ? Position.DONE : Position.after(lek);
                } else if (lek == null) {
                    // everything left in this partition is in the buffer now
                    position = position.withEndReached();
                }
            }
        }
    }

    /** Where a partition's read continues: after {@code key}; {@code done} when nothing is left. */
    private record Position(Map<String, AttributeValue> key, boolean done, boolean endReached) {
        static final Position START = new Position(null, false, false);
        static final Position DONE = new Position(null, true, true);

        static Position after(Map<String, AttributeValue> key) {
            return new Position(key, false, false);
        }

        Position withEndReached() {
            return new Position(key, false, true);
        }

        /**
         * Whether a table read (not an index read) stopped on the end of the sort range it moves towards: the low
         * bound newest first, the high bound oldest first. That happens when a bound is itself a stored sort key,
         * such as a summary's date. A table's sort key is unique within its partition, so nothing can follow, and
         * DynamoDB refuses that starting key ("The provided starting key does not match the range key
         * predicate"). Index reads are left to DynamoDB: there several items may share the bound.
         */
        boolean atFarBound(Spec spec) {
            SortRange r = spec.range();
            if (key == null || r == null || spec.index() != null) {
                return false;
            }
            String bound = spec.newestFirst() ? r.low() : r.high();
            AttributeValue sk = key.get(spec.sortAttr());
            if (bound == null || sk == null || sk.s() == null) {
                return false;
            }
            int c = sk.s().compareTo(bound);
            return spec.newestFirst() ? c <= 0 : c >= 0;
        }

        JsonNode toJson() {
            if (done) {
                return JsonNodeFactory.instance.textNode("done");
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (key != null) {
                key.forEach((k, v) -> {
                    ObjectNode a = o.putObject(k);
                    if (v.n() != null) {
                        a.put("N", v.n());
                    } else {
                        a.put("S", v.s());
                    }
                });
            }
            return o;
        }

        static Position fromJson(JsonNode n) {
            if (n.isTextual() && "done".equals(n.textValue())) {
                return DONE;
            }
            if (!n.isObject()) {
                throw new InvalidCursorException();
            }
            if (n.isEmpty()) {
                return START;
            }
            Map<String, AttributeValue> key = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode v = e.getValue();
                if (v.hasNonNull("N")) {
                    key.put(e.getKey(), AttributeValue.fromN(v.get("N").asText()));
                } else if (v.hasNonNull("S")) {
                    key.put(e.getKey(), AttributeValue.fromS(v.get("S").asText()));
                } else {
                    throw new InvalidCursorException();
                }
            }
            return after(key);
        }
    }
}
