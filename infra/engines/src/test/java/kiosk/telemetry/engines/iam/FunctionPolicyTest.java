package kiosk.telemetry.engines.iam;

import kiosk.telemetry.engines.SamTemplate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy matcher against a small template of its own, and every function policy of the real template loads. */
class FunctionPolicyTest {

    private static final String TEMPLATE = """
            Resources:
              ThingsTable:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions: [{AttributeName: thingId, AttributeType: S}]
                  KeySchema: [{AttributeName: thingId, KeyType: HASH}]
              OthersTable:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions: [{AttributeName: otherId, AttributeType: S}]
                  KeySchema: [{AttributeName: otherId, KeyType: HASH}]
              WidgetFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Policies:
                    - Version: "2012-10-17"
                      Statement:
                        - Sid: Things
                          Effect: Allow
                          Action: [dynamodb:GetItem, dynamodb:Query, dynamodb:BatchGetItem, dynamodb:PutItem]
                          Resource: [!GetAtt ThingsTable.Arn]
                        - Sid: ThingSightings
                          Effect: Allow
                          Action: [dynamodb:UpdateItem]
                          Resource: [!GetAtt ThingsTable.Arn]
                          Condition:
                            ForAllValues:StringEquals:
                              dynamodb:Attributes: [thingId, seenAt]
                            StringEqualsIfExists:
                              dynamodb:Select: SPECIFIC_ATTRIBUTES
                              dynamodb:ReturnValues: [NONE, UPDATED_OLD, UPDATED_NEW]
                        - Sid: OthersByIndex
                          Effect: Allow
                          Action: [dynamodb:Query]
                          Resource: [!GetAtt OthersTable.Arn, !Sub "${OthersTable.Arn}/index/*"]
                        - Sid: NeverTheArchiveIndex
                          Effect: Deny
                          Action: [dynamodb:Query]
                          Resource: [!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OthersTable}/index/archive"]
                        - Sid: Objects
                          Effect: Allow
                          Action: [s3:GetObject]
                          Resource: [!Sub "${Bucket.Arn}/*"]
                    - SQSSendMessagePolicy:
                        QueueName: letters
            """;

    private static final String THINGS = "t-things";
    private static final String OTHERS = "t-others";

    private final FunctionPolicy policy = FunctionPolicy.of(SamTemplate.fromText(TEMPLATE), "WidgetFunction", "t-");

    @Test
    void aGrantedActionOnItsTable_isAllowed() {
        assertEquals(Optional.empty(), refusal(GetItemRequest.builder().tableName(THINGS).key(key("thingId")).build()));
        assertEquals(Optional.empty(), refusal(QueryRequest.builder().tableName(OTHERS).indexName("by-owner").build()));
    }

    @Test
    void theSameActionOnAnotherTable_isRefused_namingTheTable() {
        String why = refusal(GetItemRequest.builder().tableName(OTHERS).key(key("otherId")).build()).orElseThrow();
        assertTrue(why.startsWith("dynamodb:GetItem on arn:aws:dynamodb:us-east-1:123456789012:table/t-others (OthersTable)"), why);
        String unknown = refusal(GetItemRequest.builder().tableName("t-elsewhere").key(key("thingId")).build()).orElseThrow();
        assertTrue(unknown.contains("table t-elsewhere, which template.yaml does not declare"), unknown);
    }

    @Test
    void anIndexQuery_needsTheIndexResource_notJustTheTable() {
        assertEquals(Optional.empty(), refusal(QueryRequest.builder().tableName(THINGS).build()));
        String why = refusal(QueryRequest.builder().tableName(THINGS).indexName("by-owner").build()).orElseThrow();
        assertTrue(why.startsWith("dynamodb:Query on arn:aws:dynamodb:us-east-1:123456789012:table/t-things/index/by-owner"
                + " (ThingsTable index by-owner)"), why);
    }

    @Test
    void anExplicitDeny_winsOverAnAllow() {
        String why = refusal(QueryRequest.builder().tableName(OTHERS).indexName("archive").build()).orElseThrow();
        assertTrue(why.endsWith("is denied explicitly by NeverTheArchiveIndex"), why);
    }

    @Test
    void aConditionedUpdate_isAllowedOnlyWithTheAttributesAndReturnValuesItNames() {
        UpdateItemRequest.Builder seen = UpdateItemRequest.builder().tableName(THINGS).key(key("thingId"))
                .updateExpression("SET #s = :now")
                .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#s) OR #s < :nb)")
                .expressionAttributeNames(Map.of("#s", "seenAt", "#id", "thingId"));
        assertEquals(Optional.empty(), refusal(seen.build()));
        assertEquals(Optional.empty(), refusal(seen.returnValues(ReturnValue.UPDATED_NEW).build()));

        String all = refusal(seen.returnValues(ReturnValue.ALL_NEW).build()).orElseThrow();
        assertTrue(all.contains("ThingSightings: StringEqualsIfExists dynamodb:ReturnValues [NONE, UPDATED_OLD, UPDATED_NEW] is not met"), all);

        String other = refusal(UpdateItemRequest.builder().tableName(THINGS).key(key("thingId"))
                .updateExpression("SET #s = :now, #o = :owner").expressionAttributeNames(Map.of("#s", "seenAt", "#o", "owner")).build())
                .orElseThrow();
        assertTrue(other.contains("ForAllValues:StringEquals dynamodb:Attributes [thingId, seenAt] is not met"), other);
        String plain = refusal(UpdateItemRequest.builder().tableName(THINGS).key(key("thingId")).updateExpression("SET owner = :o").build())
                .orElseThrow();
        assertTrue(plain.contains("dynamodb:Attributes=[thingId, owner]"), plain);
    }

    @Test
    void aBatch_isRefusedForEveryTableItNamesWithoutAGrant() {
        var batch = BatchGetItemRequest.builder().requestItems(Map.of(
                THINGS, KeysAndAttributes.builder().keys(key("thingId")).build(),
                OTHERS, KeysAndAttributes.builder().keys(key("otherId")).build())).build();
        List<String> refused = DynamoAccess.of(batch).stream().map(policy::refusal).flatMap(Optional::stream).toList();
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("dynamodb:BatchGetItem on arn:aws:dynamodb:us-east-1:123456789012:table/t-others"), refused.get(0));
    }

    @Test
    void aTransaction_isAuthorisedItemByItem_asTheItemsActions() {
        var write = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(THINGS).item(key("thingId")).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(OTHERS).item(key("otherId")).build()).build()).build();
        List<DynamoAccess> accesses = DynamoAccess.of(write);
        assertEquals(List.of("dynamodb:PutItem", "dynamodb:PutItem"), accesses.stream().map(DynamoAccess::iamAction).toList());
        assertEquals(Optional.empty(), policy.refusal(accesses.get(0)));
        assertTrue(policy.refusal(accesses.get(1)).isPresent());
    }

    @Test
    void expressions_nameTheirTopLevelAttributes() {
        Set<String> names = new LinkedHashSet<>();
        DynamoAccess.expressionNames("SET #a.#b = :v, c[0].d = size(e), #f = if_not_exists(#f, :z) REMOVE g ADD h :one",
                Map.of("#a", "alpha", "#b", "beta", "#f", "phi"), names);
        assertEquals(Set.of("alpha", "c", "e", "phi", "g", "h"), names);
    }

    @Test
    void whatTheCheckCannotEvaluate_failsOnLoading_ratherThanPassing() {
        String leadingKeys = TEMPLATE.replace("dynamodb:Attributes: [thingId, seenAt]", "dynamodb:LeadingKeys: [thingId]");
        var e = assertThrows(IllegalStateException.class, () -> FunctionPolicy.of(SamTemplate.fromText(leadingKeys), "WidgetFunction", "t-"));
        assertTrue(e.getMessage().contains("dynamodb:LeadingKeys"), e.getMessage());
        String samTemplate = TEMPLATE.replace("SQSSendMessagePolicy", "DynamoDBCrudPolicy").replace("QueueName: letters", "TableName: !Ref ThingsTable");
        assertThrows(IllegalStateException.class, () -> FunctionPolicy.of(SamTemplate.fromText(samTemplate), "WidgetFunction", "t-"));
    }

    @Test
    void everyFunctionOfTheRealTemplate_hasAPolicyTheCheckReads() {
        SamTemplate template = SamTemplate.fromClasspath();
        var functions = template.resourcesOfType("AWS::Serverless::Function").keySet();
        assertTrue(functions.size() >= 5, functions.toString());
        for (String function : functions) {
            FunctionPolicy.fromClasspath(function);
        }
    }

    private Optional<String> refusal(SdkRequest request) {
        List<DynamoAccess> accesses = DynamoAccess.of(request);
        assertEquals(1, accesses.size());
        return policy.refusal(accesses.get(0));
    }

    private static Map<String, AttributeValue> key(String name) {
        return Map.of(name, AttributeValue.fromS("k1"));
    }
}
