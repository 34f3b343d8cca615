package kiosk.telemetry.sdk;

import java.util.Locale;

/** The contract's session statuses: {@code started → in_progress → one terminal status}. */
public enum SessionStatus {
    STARTED, IN_PROGRESS, COMPLETED, ABANDONED, TIMEOUT, ERROR;

    public boolean terminal() {
        return ordinal() >= COMPLETED.ordinal();
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
