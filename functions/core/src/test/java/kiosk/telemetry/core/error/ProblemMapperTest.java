package kiosk.telemetry.core.error;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a client sees for each kind of failure: only throttling and unavailability are 503, always with
 * {@code Retry-After}; a storage call the service refused (a DynamoDB ValidationException) is a 500.
 */
class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper(Duration.ofSeconds(2));

    private static DynamoDbException dynamo(int status, String code) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).message(code).build();
    }

    @Test
    void throttlingAndUnavailability_are503WithRetryAfter() {
        List<SdkException> temporary = List.of(
                ProvisionedThroughputExceededException.builder().message("throttled").build(),
                RequestLimitExceededException.builder().message("account limit").build(),
                dynamo(400, "ThrottlingException"),
                dynamo(500, "InternalServerError"),
                dynamo(503, "ServiceUnavailable"),
                SdkServiceException.builder().statusCode(503).message("SlowDown").build(),
                TransactionCanceledException.builder().message("cancelled")
                        .cancellationReasons(CancellationReason.builder().code("None").build(),
                                CancellationReason.builder().code("ThrottlingError").build()).build(),
                ApiCallAttemptTimeoutException.create(1000),
                SdkClientException.builder().message("Unable to execute HTTP request").cause(new ConnectException("refused")).build());
        for (SdkException e : temporary) {
            Response r = mapper.storage(e, null, null);
            assertEquals(503, r.getStatus(), e.toString());
            assertEquals("2", r.getHeaderString("Retry-After"), e.toString());
        }
    }

    @Test
    void aRefusedStorageCall_isA500WithoutRetryAfter() {
        List<SdkException> refused = List.of(
                dynamo(400, "ValidationException"),
                ConditionalCheckFailedException.builder().message("unexpected").build(),
                TransactionCanceledException.builder().message("cancelled")
                        .cancellationReasons(CancellationReason.builder().code("ValidationError").build()).build(),
                SdkClientException.builder().message("Unable to marshall request").build());
        for (SdkException e : refused) {
            Response r = mapper.storage(e, null, null);
            assertEquals(500, r.getStatus(), e.toString());
            assertNull(r.getHeaderString("Retry-After"), e.toString());
            assertEquals("unexpected error", ((Problem) r.getEntity()).detail());
        }
        assertEquals(500, mapper.unexpected(new IllegalStateException("bug"), null, null).getStatus());
    }

    @Test
    void everyApi503_carriesRetryAfter_aBatch503KeepsItsMembers() {
        var batch = new ApiException(503, "Service Unavailable", "1 item(s) could not be written now", List.of(),
                Map.of("accepted", 1, "duplicates", 0, "rejected", List.of(), "retry", List.of(1)));
        Response r = mapper.api(batch, null, null);
        assertEquals(503, r.getStatus());
        assertEquals("2", r.getHeaderString("Retry-After"));
        assertEquals(List.of(1), ((Problem) r.getEntity()).extensions().get("retry"));
        assertNull(mapper.api(ApiException.badRequest("no"), null, null).getHeaderString("Retry-After"));
    }
}
