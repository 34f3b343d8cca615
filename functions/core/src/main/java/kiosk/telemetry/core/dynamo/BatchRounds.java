package kiosk.telemetry.core.dynamo;

import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The retry rounds of DynamoDB's batch calls, which may leave part of a request unprocessed when throttled:
 * the first call at once, each further one after a doubling pause (40 ms, 80 ms, …), and a failure after
 * {@value #MAX} calls.
 */
final class BatchRounds {

    static final int MAX = 8;

    private BatchRounds() {
    }

    /** Call before round {@code round} (0 = the first call) of the batch call described by {@code what}. */
    static void await(int round, String what) {
        if (round >= MAX) {
            throw SdkClientException.create(what + " kept being throttled");
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
