package kiosk.telemetry.sdk;

/** Where an error comes from. */
public enum ErrorCategory {
    HARDWARE, SOFTWARE, NETWORK;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
