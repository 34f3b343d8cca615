package kiosk.telemetry.engines;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DynamoDB tables declared in {@code template.yaml}, turned into {@code CreateTableRequest}s for the
 * embedded engine. A logical id {@code DailySummariesTable} is created as {@code <prefix>daily-summaries},
 * which is also the default of the matching {@code telemetry.tables.*} setting.
 */
public final class TableDefinitions {

    public record Table(String logicalId, String defaultName, CreateTableRequest request, String ttlAttribute) {
    }

    private TableDefinitions() {
    }

    public static String defaultName(String logicalId, String prefix) {
        String base = logicalId.endsWith("Table") ? logicalId.substring(0, logicalId.length() - 5) : logicalId;
        return prefix + base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    public static List<Table> from(SamTemplate template, String namePrefix) {
        List<Table> out = new ArrayList<>();
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, resource) -> {
            Map<String, Object> p = SamTemplate.properties(resource);
            String name = defaultName(id, namePrefix);
            CreateTableRequest.Builder b = CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(list(p, "AttributeDefinitions").stream()
                            .map(a -> AttributeDefinition.builder()
                                    .attributeName(str(a, "AttributeName"))
                                    .attributeType(str(a, "AttributeType")).build())
                            .toList())
                    .keySchema(keys(list(p, "KeySchema")));
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (Map<String, Object> g : list(p, "GlobalSecondaryIndexes")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> proj = (Map<String, Object>) g.getOrDefault("Projection", Map.of("ProjectionType", "ALL"));
                Projection.Builder pb = Projection.builder().projectionType(str(proj, "ProjectionType"));
                if (proj.get("NonKeyAttributes") instanceof List<?> nka) {
                    pb.nonKeyAttributes(nka.stream().map(Object::toString).toList());
                }
                gsis.add(GlobalSecondaryIndex.builder()
                        .indexName(str(g, "IndexName"))
                        .keySchema(keys(list(g, "KeySchema")))
                        .projection(pb.build())
                        .build());
            }
            if (!gsis.isEmpty()) {
                b.globalSecondaryIndexes(gsis);
            }
            String ttl = null;
            if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> t && Boolean.TRUE.equals(t.get("Enabled"))) {
                ttl = String.valueOf(t.get("AttributeName"));
            }
            out.add(new Table(id, name, b.build(), ttl));
        });
        return out;
    }

    private static List<KeySchemaElement> keys(List<Map<String, Object>> schema) {
        return schema.stream().map(k -> KeySchemaElement.builder()
                .attributeName(str(k, "AttributeName")).keyType(str(k, "KeyType")).build()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalStateException("template: " + key + " must be a literal string, got " + v);
        }
        return s;
    }

    /** Logical id to table name, for configuration overrides. */
    public static Map<String, String> names(List<Table> tables) {
        Map<String, String> out = new LinkedHashMap<>();
        tables.forEach(t -> out.put(t.logicalId(), t.defaultName()));
        return out;
    }
}
