package kiosk.telemetry.core.page;

/** A list cursor that was altered, is unreadable, or belongs to another query. */
public class InvalidCursorException extends RuntimeException {

    public InvalidCursorException() {
        super("is invalid, altered, or belongs to another query", null, false, false);
    }
}
