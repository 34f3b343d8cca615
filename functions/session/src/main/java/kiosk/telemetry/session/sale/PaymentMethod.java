package kiosk.telemetry.session.sale;

/** How a sale was paid. */
public enum PaymentMethod {
    card, cash, mobile, qr, voucher, other
}
