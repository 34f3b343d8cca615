package kiosk.telemetry.core.bind;

import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.FieldError;

import java.util.List;
import java.util.Set;

/**
 * A request record as bound and validated, with every field error found (empty when valid), and the top-level
 * members the body gave, explicit nulls included (a record binds absent and null alike; a PATCH tells "keep" from
 * "clear" by them). Callers decide when the errors are answered: checks the contract puts first (403) come before
 * {@link #orThrow()}.
 */
public record Bound<T>(T value, List<FieldError> errors, Set<String> given) {

    public Bound {
        errors = List.copyOf(errors);
        given = Set.copyOf(given);
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
