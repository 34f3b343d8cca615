package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;

/**
 * Writes an error and its group so that any failure can be repaired by sending the same error again:
 * (1) the error and the group's counters in one transaction; (2) the device's membership and the group's
 * device count in one conditional transaction; (3) idempotent conditional updates of first/last seen and of
 * a resolved group's regression. Steps 2 and 3 run again on a duplicate, so a retry completes what a failed
 * attempt left undone; no counter is ever incremented twice.
 */
@ApplicationScoped
public class ErrorStore {

    private final DynamoDbClient dynamo;
    private final ErrorsTable errors;
    private final ErrorGroupsTable groups;

    public ErrorStore(DynamoDbClient dynamo, ErrorsTable errors, ErrorGroupsTable groups) {
        this.dynamo = dynamo;
        this.errors = errors;
        this.groups = groups;
    }

    /** True when the error is new; false when an error with its id exists. */
    public boolean record(ErrorReport e) {
        return transact(List.of(errors.putIfAbsent(e), groups.countError(e)));
    }

    /** Steps 2 and 3 for an error that is stored (new or a repeat of the same device's). */
    public void completeGroup(ErrorReport e) {
        transact(List.of(groups.addMember(e.fingerprint(), e.deviceId()), groups.countDevice(e.fingerprint())));
        groups.widenSeen(e.fingerprint(), e.timestamp());
        groups.regressIfResolvedBefore(e.fingerprint(), e.receivedAt());
    }

    /** Runs a transaction whose first item is conditional: false when only that condition failed. */
    private boolean transact(List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return false;
            }
            throw e;
        }
    }
}
