package kiosk.telemetry.core.domain;

/** One problem with one input field, as shown in problem+json {@code errors[]}. */
public record FieldError(String field, String message) {
}
