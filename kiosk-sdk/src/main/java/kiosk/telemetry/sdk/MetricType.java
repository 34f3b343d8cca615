package kiosk.telemetry.sdk;

import java.util.Locale;

/** What a timing measures. */
public enum MetricType {
    APP_START, CAPTURE, RENDER, PRINT, PAYMENT;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
