package kiosk.telemetry.sdk;

/** The contract's session statuses: {@code started → in_progress → one terminal status}. */
public enum SessionStatus {
    STARTED, IN_PROGRESS, COMPLETED, ABANDONED, TIMEOUT, ERROR;

    public boolean terminal() {
        return ordinal() >= COMPLETED.ordinal();
    }

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
