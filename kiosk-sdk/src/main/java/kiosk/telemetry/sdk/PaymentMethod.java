package kiosk.telemetry.sdk;

import java.util.Locale;

/** How a sale was paid. */
public enum PaymentMethod {
    CARD, CASH, MOBILE, QR, VOUCHER, OTHER;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
