package kiosk.telemetry.sdk;

import java.util.Locale;

/** How bad an error is. A {@code FATAL} error is sent at once, not at the next timer tick. */
public enum Severity {
    FATAL, ERROR, WARNING, INFO;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
