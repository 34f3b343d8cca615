package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.engines.EmbeddedDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
}
