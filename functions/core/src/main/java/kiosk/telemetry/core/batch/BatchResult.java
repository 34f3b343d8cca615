package kiosk.telemetry.core.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import kiosk.telemetry.core.domain.FieldError;

import java.util.List;

/**
 * The per-item outcome of a batch: how many items were stored, how many were duplicates, which were rejected
 * (with their field errors) and, when writes were throttled or failed, which indexes to send again. Every item
 * is counted in exactly one of them. Its HTTP status is decided at the edge ({@code Answers.batch}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchResult(int accepted, int duplicates, List<Rejection> rejected, List<Integer> retry) {

    @RegisterForReflection
    public record Rejection(int index, List<FieldError> errors) {
    }
}
