package kiosk.telemetry.core.domain;

import java.util.List;

/**
 * The domain's "no" to a request, with its reason: the edge ({@code ProblemMapper}) decides which status each reason
 * answers with, so services and stores never choose HTTP statuses. The message says what is wrong in the caller's
 * terms; it carries keys and field names, never payloads.
 */
public class Refusal extends RuntimeException {

    /** Why a request is refused. */
    public enum Reason {
        /** The request's values break a rule ({@link #errors()} names the fields). */
        INVALID,
        /** What the request names does not exist. */
        UNKNOWN,
        /** The request contradicts the record's current state. */
        CONFLICT,
        /** The caller may not act on this record. */
        NOT_YOURS,
        /** The record would be larger stored than allowed. */
        TOO_LARGE,
        /** The record is being changed right now; the same request may succeed later. */
        BUSY
    }

    private final Reason reason;
    private final List<FieldError> errors;

    private Refusal(Reason reason, String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.reason = reason;
        this.errors = List.copyOf(errors);
    }

    public static Refusal invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static Refusal invalid(List<FieldError> errors) {
        String message = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message() : errors.size() + " fields are invalid";
        return new Refusal(Reason.INVALID, message, errors);
    }

    public static Refusal unknown(String what) {
        return new Refusal(Reason.UNKNOWN, what, List.of());
    }

    public static Refusal conflict(String why) {
        return new Refusal(Reason.CONFLICT, why, List.of());
    }

    public static Refusal notYours(String why) {
        return new Refusal(Reason.NOT_YOURS, why, List.of());
    }

    /** A record whose stored form would exceed {@code limit} bytes, although the request itself is within its limit. */
    public static Refusal tooLarge(String what, long size, long limit, String hint) {
        return new Refusal(Reason.TOO_LARGE, what + " would take " + size + " bytes stored, more than the limit of " + limit + "; " + hint,
                List.of());
    }

    public static Refusal busy(String why) {
        return new Refusal(Reason.BUSY, why, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
