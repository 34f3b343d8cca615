package kiosk.telemetry.engines.iam;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interceptor on a client whose endpoint answers nothing: a call the enforced policy refuses fails before it is
 * sent, as AWS's AccessDeniedException, and fails the enforcement when it closes; outside an enforcement the same
 * call is sent (and fails only for want of a server).
 */
class EnforcedPolicyTest {

    private final DynamoDbClient client = DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new EnforcedPolicy()).retryStrategy(r -> r.maxAttempts(1)))
            .build();

    @Test
    void aCallThePolicyRefuses_failsAsAwsWould_andFailsTheEnforcement() {
        EnforcedPolicy.Enforcement enforcement = EnforcedPolicy.enforce("PerformanceFunction");
        DynamoDbException refused = assertThrows(DynamoDbException.class, () -> client.batchGetItem(b -> b.requestItems(Map.of(
                "telemetry-devices", KeysAndAttributes.builder().keys(Map.of("id", AttributeValue.fromS("d1"))).build()))));
        assertEquals(400, refused.statusCode());
        assertEquals("AccessDeniedException", refused.awsErrorDetails().errorCode());
        assertTrue(refused.getMessage().contains("PerformanceFunction is not authorized to perform: dynamodb:BatchGetItem on"
                + " arn:aws:dynamodb:us-east-1:123456789012:table/telemetry-devices (DevicesTable)"), refused.getMessage());
        assertEquals(1, enforcement.checkedCalls());

        AssertionError reported = assertThrows(AssertionError.class, enforcement::close);
        assertTrue(reported.getMessage().contains("PerformanceFunction: dynamodb:BatchGetItem on"), reported.getMessage());
        assertTrue(reported.getMessage().contains("EnforcedPolicyTest"), "names the caller: " + reported.getMessage());
    }

    @Test
    void aCallThePolicyAllows_andAnyCallOutsideAnEnforcement_isSent() {
        try (EnforcedPolicy.Enforcement enforcement = EnforcedPolicy.enforce("PerformanceFunction")) {
            assertThrows(SdkClientException.class, () -> client.batchGetItem(b -> b.requestItems(Map.of(
                    "telemetry-sessions", KeysAndAttributes.builder().keys(Map.of("id", AttributeValue.fromS("s1"))).build()))));
            assertEquals(1, enforcement.checkedCalls());
        }
        assertThrows(SdkClientException.class, () -> client.scan(b -> b.tableName("telemetry-devices")));
        assertThrows(SdkClientException.class, () -> client.deleteTable(b -> b.tableName("telemetry-devices")));
    }

    @Test
    void enforcementsOfOneFunctionNest_andAnotherFunctionsMayNotOverlap() {
        try (EnforcedPolicy.Enforcement outer = EnforcedPolicy.enforce("ErrorFunction")) {
            try (EnforcedPolicy.Enforcement inner = EnforcedPolicy.enforce("ErrorFunction")) {
                assertEquals(0, inner.checkedCalls());
            }
            assertThrows(IllegalStateException.class, () -> EnforcedPolicy.enforce("AggregatorFunction"));
            assertThrows(DynamoDbException.class, () -> client.scan(b -> b.tableName("telemetry-errors")), "still enforced after the inner one");
            assertThrows(AssertionError.class, outer::close);
        }
        assertThrows(SdkClientException.class, () -> client.scan(b -> b.tableName("telemetry-errors")));
    }
}
