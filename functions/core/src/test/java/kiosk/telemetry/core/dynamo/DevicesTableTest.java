package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.store.DeviceItem;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.engines.EmbeddedDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device registry contract on DynamoDB Local, in-process on a free port. */
class DevicesTableTest extends DevicesTableContract {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() {
        engine = EmbeddedDynamo.start(0, null);
        client = engine.client();
        createTables(client);
    }

    @AfterAll
    static void stop() {
        client.close();
        engine.close();
    }

    @Override
    protected DynamoDbClient dynamo() {
        return client;
    }

    /** What the ingestion functions' IAM condition sees: the attributes an UpdateItem names, and what it asks back. */
    @Test
    void touch_namesOnlyTheLivenessAttributes_andAsksForNothingBack() {
        List<UpdateItemRequest> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest update) {
                    sent.add(update);
                }
            }
        };
        try (DynamoDbClient watched = DynamoDbClient.builder().endpointOverride(engine.endpoint())
                .region(Region.of(EmbeddedDynamo.REGION)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedDynamo.ACCESS_KEY, EmbeddedDynamo.SECRET_KEY)))
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture)).build()) {
            DevicesTable table = new DevicesTable(watched, "telemetry-devices");
            String id = "dev-" + UUID.randomUUID();
            Instant now = Instant.parse("2026-11-02T03:00:00Z");
            table.create(new Device(id, "s1", "g1", "KR", "hash", now, null, null));
            assertTrue(table.touch(id, now, now.minusSeconds(60)));
            assertFalse(table.touch(id, now.plusSeconds(1), now.minusSeconds(59)), "a refused write is the same request");
        }
        assertEquals(2, sent.size());
        for (UpdateItemRequest update : sent) {
            Set<String> named = new HashSet<>(update.key().keySet());
            named.addAll(update.expressionAttributeNames().values());
            assertEquals(Set.copyOf(DeviceItem.LIVENESS_ATTRIBUTES), named);
            assertFalse(update.hasAttributeUpdates() || update.hasExpected(), "no legacy parameters outside the expressions");
            assertTrue(update.returnValues() == null || update.returnValues() == ReturnValue.NONE, "asks for no attribute back");
        }
    }
}
