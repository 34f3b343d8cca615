package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.domain.FieldError;

import java.util.List;

/**
 * A request record as bound and validated, with every field error found (empty when valid), and the JSON it was
 * bound from. Callers decide when the errors are answered: checks the contract puts first (403) come before
 * {@link #orThrow()}.
 */
public record Bound<T>(T value, List<FieldError> errors, JsonNode source) {

    public Bound {
        errors = List.copyOf(errors);
    }

    /**
     * Whether the body gave the member at {@code path} ({@code funnel.exitStage}), an explicit null included. A
     * record binds absent and null alike; a PATCH tells "keep" from "clear" by this.
     */
    public boolean given(String path) {
        JsonNode at = source;
        for (String name : path.split("\\.")) {
            if (at == null || !at.isObject() || !at.has(name)) {
                return false;
            }
            at = at.get(name);
        }
        return true;
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** The value; 400 naming every field error. */
    public T orThrow() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return value;
    }
}
