package kiosk.telemetry.sdk;

/** How a sale was paid. */
public enum PaymentMethod {
    CARD, CASH, MOBILE, QR, VOUCHER, OTHER;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
