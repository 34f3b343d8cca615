package kiosk.telemetry.sdk;

/** What a timing measures. */
public enum MetricType {
    APP_START, CAPTURE, RENDER, PRINT, PAYMENT;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
