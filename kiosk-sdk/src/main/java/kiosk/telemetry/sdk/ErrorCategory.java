package kiosk.telemetry.sdk;

import java.util.Locale;

/** Where an error comes from. */
public enum ErrorCategory {
    HARDWARE, SOFTWARE, NETWORK;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
