package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.engines.EmbeddedDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pager against a real engine: merged shards and days, filters, every page size. */
class IndexPagerTest {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient dynamo;
    private static final int SHARDS = 4;
    private static final List<LocalDate> DAYS = List.of(LocalDate.parse("2025-01-21"), LocalDate.parse("2025-01-20"), LocalDate.parse("2025-01-19"));
    private static final List<String> ALL_NEWEST_FIRST = new ArrayList<>();
    private static final List<String> ODD_NEWEST_FIRST = new ArrayList<>();

    @BeforeAll
    static void start() {
        engine = EmbeddedDynamo.start(0, null);
        dynamo = engine.client();
        dynamo.createTable(b -> b.tableName("pager-test").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("id"), attr("part"), attr("at"))
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("day-index")
                        .keySchema(KeySchemaElement.builder().attributeName("part").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("at").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        dynamo.createTable(b -> b.tableName("ranged-test").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("kiosk"), attr("onDay"), attr("everyone"))
                .keySchema(KeySchemaElement.builder().attributeName("kiosk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("onDay").keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("fleet-index")
                        .keySchema(KeySchemaElement.builder().attributeName("everyone").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("onDay").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        for (String device : List.of("kiosk-a", "kiosk-b", "kiosk-c")) {
            for (LocalDate day : DAYS) {
                dynamo.putItem(b -> b.tableName("ranged-test").item(Map.of("kiosk", AttributeValue.fromS(device), "onDay", AttributeValue.fromS(day.toString()),
                        "everyone", AttributeValue.fromS("all"))));
            }
        }
        Random random = new Random(7);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 157; i++) {
            LocalDate day = DAYS.get(random.nextInt(DAYS.size()));
            String id = String.format("id-%03d", i);
            String ts = day + "T" + String.format("%02d:%02d:00.000Z", random.nextInt(24), random.nextInt(60)) + "#" + id;
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", AttributeValue.fromS(id));
            item.put("part", AttributeValue.fromS(DayShards.keyFor(day, id, SHARDS)));
            item.put("at", AttributeValue.fromS(ts));
            item.put("odd", AttributeValue.fromBool(i % 2 == 1));
            dynamo.putItem(b -> b.tableName("pager-test").item(item));
            keys.add(ts);
        }
        keys.sort(Comparator.reverseOrder());
        for (String ts : keys) {
            String id = ts.substring(ts.indexOf('#') + 1);
            ALL_NEWEST_FIRST.add(id);
            if (Integer.parseInt(id.substring(3)) % 2 == 1) {
                ODD_NEWEST_FIRST.add(id);
            }
        }
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        engine.close();
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static IndexPager.Spec spec(IndexPager.Filter filter) {
        List<List<String>> groups = DAYS.stream().map(d -> DayShards.allKeys(d, SHARDS)).toList();
        return new IndexPager.Spec("pager-test", "day-index", "part", "at", List.of("id", "part", "at"), groups, null, filter, true);
    }

    private static List<String> walk(IndexPager.Spec spec, int limit) {
        IndexPager pager = new IndexPager(dynamo);
        List<String> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = pager.page(spec, limit, cursor, "scope");
            page.items().forEach(i -> out.add(i.get("id").s()));
            cursor = page.nextCursor();
            if (++pages > 1000) {
                throw new AssertionError("walk does not end");
            }
        } while (cursor != null);
        return out;
    }

    @Test
    void everyPageSize_walksAllItemsOnce_inGlobalNewestFirstOrder() {
        for (int limit : new int[]{1, 2, 3, 7, 50, 156, 157, 500}) {
            assertEquals(ALL_NEWEST_FIRST, walk(spec(IndexPager.Filter.none()), limit), "limit " + limit);
        }
    }

    @Test
    void filteredWalk_hasNoGapsOrDuplicates() {
        var odd = new IndexPager.Filter("#o = :o", Map.of("#o", "odd"), Map.of(":o", AttributeValue.fromBool(true)));
        for (int limit : new int[]{1, 4, 13, 500}) {
            assertEquals(ODD_NEWEST_FIRST, walk(spec(odd), limit), "limit " + limit);
        }
    }

    @Test
    void lastPage_hasNoCursor() {
        var page = new IndexPager(dynamo).page(spec(IndexPager.Filter.none()), 500, null, "scope");
        assertEquals(157, page.items().size());
        assertNull(page.nextCursor());
    }

    @Test
    void rangeWhoseBoundsAreStoredKeys_walksToTheEnd_inBothDirections() {
        for (boolean newestFirst : new boolean[]{true, false}) {
            for (int limit : new int[]{1, 2, 3, 500}) {
                for (LocalDate from : DAYS) {
                    for (LocalDate to : DAYS) {
                        if (to.isBefore(from)) {
                            continue;
                        }
                        var spec = new IndexPager.Spec("ranged-test", null, "kiosk", "onDay", List.of("kiosk", "onDay"),
                                List.of(List.of("kiosk-a")), new IndexPager.SortRange(from.toString(), to.toString()),
                                IndexPager.Filter.none(), newestFirst);
                        List<String> expected = new ArrayList<>();
                        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                            expected.add(d.toString());
                        }
                        if (newestFirst) {
                            expected.sort(Comparator.reverseOrder());
                        }
                        List<String> walked = new ArrayList<>();
                        String cursor = null;
                        do {
                            var page = new IndexPager(dynamo).page(spec, limit, cursor, "scope");
                            page.items().forEach(i -> walked.add(i.get("onDay").s()));
                            cursor = page.nextCursor();
                        } while (cursor != null && walked.size() <= expected.size());
                        assertEquals(expected, walked, from + ".." + to + " limit " + limit + (newestFirst ? " newest first" : " oldest first"));
                    }
                }
            }
        }
    }
}
