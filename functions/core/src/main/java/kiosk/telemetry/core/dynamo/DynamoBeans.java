package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The index pager as a bean for the table classes. */
public class DynamoBeans {

    @Produces
    @Singleton
    IndexPager pager(DynamoDbClient dynamo) {
        return new IndexPager(dynamo);
    }
}
