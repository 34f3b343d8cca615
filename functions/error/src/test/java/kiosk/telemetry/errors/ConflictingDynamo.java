package kiosk.telemetry.errors;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.engines.DynamoFaults;
import kiosk.telemetry.engines.EmbeddedDynamo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;

/**
 * Test profiles that enable this alternative give the function a DynamoDB client with DynamoDB's transaction
 * conflicts (each transaction holds its items {@link #HOLD}) and injectable failures, in front of DynamoDB Local.
 */
@Alternative
public class ConflictingDynamo {

    static final Duration HOLD = Duration.ofMillis(25);

    @Produces
    @Singleton
    DynamoFaults faults(@ConfigProperty(name = "quarkus.dynamodb.endpoint-override") URI endpoint) {
        DynamoDbClient real = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(EmbeddedDynamo.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EmbeddedDynamo.ACCESS_KEY, EmbeddedDynamo.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        return DynamoFaults.wrap(real, HOLD);
    }

    @Produces
    @Singleton
    DynamoDbClient dynamo(DynamoFaults faults) {
        return faults.client();
    }
}
