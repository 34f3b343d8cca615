package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a write again when DynamoDB refused it because another transaction was writing one of its items
 * ({@code TransactionConflict}; the SDK does not retry it). A refused write changed nothing, so running it again is
 * safe. The n-th retry waits a random time up to {@code backoff} x 2^(n-1) (at most x 16); no retry starts after
 * {@code deadline} from the first attempt, and the last conflict then reaches the caller (503).
 */
@ApplicationScoped
public class ConflictRetry {

    private final long backoffNanos;
    private final long deadlineNanos;

    public ConflictRetry(TelemetryConfig config) {
        this.backoffNanos = config.transactions().conflictBackoff().toNanos();
        this.deadlineNanos = config.transactions().conflictDeadline().toNanos();
    }

    public <T> T run(Supplier<T> write) {
        long start = System.nanoTime();
        for (int retry = 0; ; retry++) {
            try {
                return write.get();
            } catch (TransactionCanceledException | TransactionConflictException e) {
                if (!conflict(e)) {
                    throw e;
                }
                long wait = ThreadLocalRandom.current().nextLong(Math.max(1, backoffNanos << Math.min(retry, 4))) + 1;
                if (System.nanoTime() + wait - start > deadlineNanos) {
                    throw e;
                }
                pause(wait, e);
            }
        }
    }

    private static boolean conflict(RuntimeException e) {
        if (e instanceof TransactionCanceledException t) {
            return t.hasCancellationReasons() && t.cancellationReasons().stream().map(CancellationReason::code)
                    .anyMatch("TransactionConflict"::equals);
        }
        return true;
    }

    private static void pause(long nanos, RuntimeException conflict) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw conflict;
        }
    }
}
