package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.json.FieldReader;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates a sale body: exact amounts that add up, a real ISO 4217 currency, a known payment method. */
final class SaleInput {

    static final Set<String> PAYMENT_METHODS = Set.of("card", "cash", "mobile", "qr", "voucher", "other");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final Pattern SETTLEMENT_STATUS = Pattern.compile("^[a-z][a-z_]{0,31}$");

    record NewSale(String saleId, String sessionId, Instant soldAt, String currency, String paymentMethod,
                   Sale.Amounts amounts, JsonNode settlement) {
    }

    private SaleInput() {
    }

    static NewSale read(FieldReader r) {
        String saleId = r.uuid("saleId", true);
        String sessionId = r.uuid("sessionId", true);
        Instant soldAt = r.timestamp("soldAt", true);
        String currency = r.matching("currency", true, CURRENCY, "an ISO 4217 code such as KRW");
        if (currency != null && !isIso4217(currency)) {
            r.reject("currency", "is not an ISO 4217 currency code");
        }
        String method = r.oneOf("paymentMethod", true, PAYMENT_METHODS);
        Sale.Amounts amounts = amounts(r.object("amounts", true));
        JsonNode settlement = settlement(r.object("settlement", false));
        r.throwIfInvalid();
        return new NewSale(saleId, sessionId, soldAt, currency, method, amounts, settlement);
    }

    private static Sale.Amounts amounts(FieldReader a) {
        if (a == null) {
            return null;
        }
        BigDecimal gross = a.amount("gross", true);
        BigDecimal discount = a.amount("discount", true);
        BigDecimal tax = a.amount("tax", true);
        BigDecimal net = a.amount("net", true);
        BigDecimal margin = a.amount("margin", false);
        if (gross != null && discount != null && discount.compareTo(gross) > 0) {
            a.reject("discount", "must not be greater than gross");
        } else if (gross != null && discount != null && tax != null && net != null) {
            BigDecimal expected = gross.subtract(discount).subtract(tax);
            if (expected.compareTo(net) != 0) {
                a.reject("net", "must equal gross - discount - tax = " + expected.toPlainString());
            }
        }
        return new Sale.Amounts(gross, discount, tax, net, margin);
    }

    private static JsonNode settlement(FieldReader s) {
        if (s == null) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String status = s.matching("status", false, SETTLEMENT_STATUS, "a lower-case word such as pending or settled");
        var date = s.date("scheduledDate", false);
        if (status != null) {
            out.put("status", status);
        }
        if (date != null) {
            out.put("scheduledDate", date.toString());
        }
        return out;
    }

    private static boolean isIso4217(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
