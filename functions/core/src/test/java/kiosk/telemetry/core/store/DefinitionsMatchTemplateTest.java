package kiosk.telemetry.core.store;

import kiosk.telemetry.engines.SamTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each record definition describes the table {@code template.yaml} deploys: the table's key attributes and TTL
 * attribute are attributes of the definition, and the definition's indexes are exactly the table's indexes, with the
 * same partition and sort attributes.
 */
class DefinitionsMatchTemplateTest {

    private static final SamTemplate TEMPLATE = SamTemplate.fromClasspath();

    @ParameterizedTest
    @CsvSource({
            "SessionItem, SessionsTable", "SaleItem, SalesTable", "MetricItem, MetricsTable", "TimingItem, TimingsTable", "ErrorItem, ErrorsTable",
            "ErrorGroupItem, ErrorGroupsTable", "EventItem, EventsTable", "SessionDayItem, EventSessionDaysTable",
            "DeviceItem, DevicesTable", "DayMarkItem, DayMarksTable", "DailySummaryItem, DailySummariesTable",
            "DailyRollupItem, DailyRollupsTable", "AggregationRunItem, AggregationRunsTable", "LiveTotalItem, LiveTotalsTable"})
    @SuppressWarnings("unchecked")
    void definition_describesTheTemplatesTable(String definition, String logicalId) throws Exception {
        Class<?> c = Class.forName(getClass().getPackageName() + "." + definition);
        Map<String, Object> table = TEMPLATE.resources().get(logicalId);
        assertNotNull(table, logicalId + " is in template.yaml");
        Map<String, Object> p = SamTemplate.properties(table);

        Map<String, Attribute<?>> byName = new TreeMap<>();
        Set<String> attributes = new TreeSet<>();
        Map<String, String> indexes = new TreeMap<>();
        for (Field f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (f.get(null) instanceof Attribute<?> a) {
                attributes.add(a.name());
                byName.put(a.name(), a);
            } else if (f.get(null) instanceof Index i && i.queryName() != null) {
                indexes.put(i.name(), keys(i.partition().name(), i.sort() == null ? null : i.sort().name()));
            }
        }
        for (String key : keyNames((List<Map<String, Object>>) p.get("KeySchema"))) {
            assertTrue(attributes.contains(key), definition + " defines the table key attribute " + key);
        }
        for (Map<String, Object> d : (List<Map<String, Object>>) p.get("AttributeDefinitions")) {
            Attribute<?> a = byName.get(String.valueOf(d.get("AttributeName")));
            assertNotNull(a, definition + " defines the key attribute " + d.get("AttributeName"));
            String stored = switch (a.type()) {
                case NUMBER, DECIMAL -> "N";
                case TEXT, INSTANT, DATE, JSON -> "S";
                case FLAG, COUNTS -> "no key type";
            };
            assertEquals(String.valueOf(d.get("AttributeType")), stored, definition + "." + a.name() + " is stored as the template declares");
        }
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl) {
            assertTrue(attributes.contains(String.valueOf(ttl.get("AttributeName"))), definition + " defines the TTL attribute");
        }
        Map<String, String> deployed = new TreeMap<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) p.getOrDefault("GlobalSecondaryIndexes", List.of())) {
            List<String> k = keyNames((List<Map<String, Object>>) g.get("KeySchema"));
            deployed.put(String.valueOf(g.get("IndexName")), keys(k.get(0), k.size() > 1 ? k.get(1) : null));
        }
        assertEquals(deployed, indexes, definition + "'s indexes are " + logicalId + "'s");
    }

    private static List<String> keyNames(List<Map<String, Object>> schema) {
        List<String> hash = new ArrayList<>();
        List<String> range = new ArrayList<>();
        for (Map<String, Object> k : schema) {
            ("HASH".equals(k.get("KeyType")) ? hash : range).add(String.valueOf(k.get("AttributeName")));
        }
        hash.addAll(range);
        return hash;
    }

    private static String keys(String partition, String sort) {
        return sort == null ? partition : partition + " + " + sort;
    }
}
