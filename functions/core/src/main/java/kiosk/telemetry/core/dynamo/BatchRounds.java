package kiosk.telemetry.core.dynamo;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * The retry rounds of DynamoDB's batch calls, which may leave part of a request unprocessed when throttled:
 * the first call at once, each further one after a doubling pause (40 ms, 80 ms, …), and after {@value #MAX} calls a
 * throttling failure, which callers answer as temporary (503).
 */
final class BatchRounds {

    static final int MAX = 8;

    private BatchRounds() {
    }

    /** Call before round {@code round} (0 = the first call) of the batch call described by {@code what}. */
    static void await(int round, String what) {
        if (round >= MAX) {
            // still throttled after every round: a temporary fault, answered 503 (or retry) like DynamoDB's own throttling
            throw ProvisionedThroughputExceededException.builder().message(what + " kept being throttled").build();
        }
        if (round > 0) {
            try {
                Thread.sleep(20L << round);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkClientException.create("interrupted: " + what);
            }
        }
    }
}
