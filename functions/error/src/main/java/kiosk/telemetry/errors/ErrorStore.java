package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;

/**
 * Writes an error and its group so that any failure can be repaired by sending the same error again:
 * (1) the error and one more error on one of the group's counter entries, in one transaction; (2) the group entry
 * (created, lastSeen/firstSeen widened, a resolved group regressed) by idempotent conditional updates outside any
 * transaction; (3) the device's membership and one more device on a counter entry, in one conditional transaction.
 * Steps 2 and 3 run again on a duplicate, so a retry completes what a failed attempt left undone; no counter is
 * ever incremented twice. No transaction touches the group entry, and the counter entries are spread by the
 * error's and the device's id, so many kiosks reporting one fingerprint at once rarely write the same item at once;
 * a transaction refused for such a conflict is retried ({@link ConflictRetry}).
 */
@ApplicationScoped
public class ErrorStore {

    private final DynamoDbClient dynamo;
    private final ErrorsTable errors;
    private final ErrorGroupsTable groups;
    private final ConflictRetry retry;

    public ErrorStore(DynamoDbClient dynamo, ErrorsTable errors, ErrorGroupsTable groups, ConflictRetry retry) {
        this.dynamo = dynamo;
        this.errors = errors;
        this.groups = groups;
        this.retry = retry;
    }

    /** True when the error is new; false when an error with its id exists. */
    public boolean record(ErrorReport e) {
        return transact(List.of(errors.putIfAbsent(e), groups.countError(e)));
    }

    /** Steps 2 and 3 for an error that is stored (new or a repeat of the same device's). */
    public void completeGroup(ErrorReport e) {
        groups.describe(e);
        transact(List.of(groups.addMember(e.fingerprint(), e.deviceId()), groups.countDevice(e.fingerprint(), e.deviceId())));
    }

    /** Runs a transaction whose first item is conditional: false when only that condition failed. */
    private boolean transact(List<TransactWriteItem> items) {
        return retry.run(() -> {
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
        });
    }
}
