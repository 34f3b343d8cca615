package kiosk.telemetry.core.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-item answer of every batch route: how many items were stored, how many were duplicates, which were
 * rejected (with their field errors) and, when writes were throttled or failed, which indexes to send again.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchResult(int accepted, int duplicates, List<Rejection> rejected, List<Integer> retry) {

    @RegisterForReflection
    public record Rejection(int index, List<FieldError> errors) {
    }

    /**
     * The contract's status for this result: 200 with the body; 503 problem (with the same members and
     * {@code retry}) when any write must be retried; 400 problem (with {@code rejected}) when every item was
     * rejected.
     */
    public BatchResult orThrow(int items) {
        if (!retry.isEmpty()) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("accepted", accepted);
            ext.put("duplicates", duplicates);
            ext.put("rejected", rejected);
            ext.put("retry", retry);
            throw new ApiException(503, "Service Unavailable",
                    retry.size() + " item(s) could not be written now; send the items listed in retry again", List.of(), ext);
        }
        if (items > 0 && rejected.size() == items) {
            throw new ApiException(400, "Bad Request", "every item was rejected", List.of(), Map.of("rejected", rejected));
        }
        return new BatchResult(accepted, duplicates, rejected, null);
    }
}
