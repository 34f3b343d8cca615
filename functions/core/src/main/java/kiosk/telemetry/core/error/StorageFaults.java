package kiosk.telemetry.core.error;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.io.IOException;
import java.util.Set;

/**
 * Which storage failures are our temporary unavailability (answer 503 with {@code Retry-After}, or {@code retry}
 * in a batch) and which are not (a 500: a request the service refused is a bug, since input is validated first).
 * Temporary: throttling (ProvisionedThroughputExceeded, RequestLimitExceeded, ThrottlingException, HTTP 429), the
 * service's own 5xx, transaction conflicts, timeouts and connection failures.
 */
public final class StorageFaults {

    private static final Set<String> TEMPORARY_CANCELLATIONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded",
            "RequestLimitExceeded", "TransactionConflict");

    private StorageFaults() {
    }

    /** True when sending the same request again later can succeed. */
    public static boolean isTemporary(Throwable e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException
                || e instanceof TransactionConflictException || e instanceof InternalServerErrorException) {
            return true;
        }
        if (e instanceof TransactionCanceledException t) {
            return t.hasCancellationReasons() && t.cancellationReasons().stream()
                    .map(CancellationReason::code).anyMatch(TEMPORARY_CANCELLATIONS::contains);
        }
        if (e instanceof SdkServiceException s) {
            return s.isThrottlingException() || s.statusCode() >= 500;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }
}
