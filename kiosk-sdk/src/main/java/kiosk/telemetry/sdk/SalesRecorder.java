package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sales, with exact decimal amounts. The recorder computes {@code net = gross − discount − tax} itself, so a
 * sale is never refused for arithmetic; amounts that break the contract's rules are refused here, at the call,
 * with {@link IllegalArgumentException}.
 */
public final class SalesRecorder {

    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final BigDecimal LIMIT = new BigDecimal("1E16");

    private final EventBuffer buffer;
    private final Clock clock;
    private final ObjectMapper json;

    SalesRecorder(EventBuffer buffer, Clock clock, ObjectMapper json) {
        this.buffer = buffer;
        this.clock = clock;
        this.json = json;
    }

    /** Settlement details, when the payment settles later ({@code status} such as {@code pending}). */
    public record Settlement(String status, LocalDate scheduledDate) {
    }

    /**
     * Records a sale of the session; returns its {@code saleId}.
     *
     * @param margin     may be null
     * @param settlement may be null
     */
    public String record(Session session, String currency, PaymentMethod method, BigDecimal gross, BigDecimal discount,
                         BigDecimal tax, BigDecimal margin, Settlement settlement) {
        if (session == null) {
            throw new IllegalArgumentException("a sale belongs to a session");
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as KRW, was " + currency);
        }
        check("gross", gross);
        check("discount", discount);
        check("tax", tax);
        if (margin != null) {
            check("margin", margin);
        }
        if (discount.compareTo(gross) > 0) {
            throw new IllegalArgumentException("discount " + discount + " exceeds gross " + gross);
        }
        BigDecimal net = gross.subtract(discount).subtract(tax);
        if (net.signum() < 0) {
            throw new IllegalArgumentException("gross − discount − tax is negative: " + net);
        }
        String saleId = UUID.randomUUID().toString();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode sale = json.createObjectNode().put("saleId", saleId).put("sessionId", session.id())
                .put("soldAt", at.toString()).put("currency", currency).put("paymentMethod", method.apiName());
        ObjectNode amounts = sale.putObject("amounts").put("gross", gross).put("discount", discount).put("tax", tax)
                .put("net", net);
        if (margin != null) {
            amounts.put("margin", margin);
        }
        if (settlement != null) {
            ObjectNode s = sale.putObject("settlement").put("status", settlement.status());
            if (settlement.scheduledDate() != null) {
                s.put("scheduledDate", settlement.scheduledDate().toString());
            }
        }
        buffer.add(Delivery.Kind.SALE, saleId, at, sale);
        return saleId;
    }

    private static void check(String name, BigDecimal amount) {
        if (amount == null || amount.signum() < 0 || amount.compareTo(LIMIT) >= 0) {
            throw new IllegalArgumentException(name + " must be an amount from 0 to below 10^16, was " + amount);
        }
        if (Math.max(amount.stripTrailingZeros().scale(), 0) > 2) {
            throw new IllegalArgumentException(name + " has more than 2 fraction digits: " + amount);
        }
    }
}
