package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sales, with exact decimal amounts. The recorder computes {@code net = gross − discount − tax} itself, so a
 * sale is never refused for arithmetic. Amounts that break the contract's rules are refused here, at the call:
 * nothing is queued, the call returns null, and the reason goes to the listener
 * ({@link DeliveryListener#onIgnored}) and to {@link Health#ignoredCalls()}; nothing is thrown.
 * <pre>{@code
 * telemetry.sales().sale(session).currency("KRW").method(PaymentMethod.CARD)
 *         .gross("10000").discount("1000").tax("818").record();
 * }</pre>
 */
public final class SalesRecorder {

    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final BigDecimal LIMIT = new BigDecimal("1E16");

    private final EventBuffer buffer;
    private final TimeSource time;
    private final ObjectMapper json;

    SalesRecorder(EventBuffer buffer, TimeSource time, ObjectMapper json) {
        this.buffer = buffer;
        this.time = time;
        this.json = json;
    }

    /** Starts a sale of {@code session}; amounts not given are 0 (margin and settlement: absent). */
    public Sale sale(Session session) {
        return new Sale(session);
    }

    /** A sale being described; {@link #record()} queues it. Not thread-safe. */
    public final class Sale {
        private final Session session;
        private String currency;
        private PaymentMethod method = PaymentMethod.OTHER;
        private BigDecimal gross = BigDecimal.ZERO;
        private BigDecimal discount = BigDecimal.ZERO;
        private BigDecimal tax = BigDecimal.ZERO;
        private BigDecimal margin;
        private Settlement settlement;

        private Sale(Session session) {
            this.session = session;
        }

        /** ISO 4217, for example {@code KRW}. */
        public Sale currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Sale method(PaymentMethod method) {
            this.method = method;
            return this;
        }

        public Sale gross(BigDecimal gross) {
            this.gross = gross;
            return this;
        }

        /** An exact decimal as text ({@code "10000"}, {@code "0.30"}); text that is no number makes the sale invalid. */
        public Sale gross(String gross) {
            this.gross = decimal(gross);
            return this;
        }

        public Sale discount(BigDecimal discount) {
            this.discount = discount;
            return this;
        }

        public Sale discount(String discount) {
            this.discount = decimal(discount);
            return this;
        }

        public Sale tax(BigDecimal tax) {
            this.tax = tax;
            return this;
        }

        public Sale tax(String tax) {
            this.tax = decimal(tax);
            return this;
        }

        public Sale margin(BigDecimal margin) {
            this.margin = margin;
            return this;
        }

        public Sale margin(String margin) {
            this.margin = decimal(margin);
            return this;
        }

        public Sale settlement(String status, LocalDate scheduledDate) {
            this.settlement = new Settlement(status, scheduledDate);
            return this;
        }

        /** Queues the sale; returns its {@code saleId}, or null when it is invalid (the reason goes to the listener). */
        public String record() {
            return SalesRecorder.this.record(session, currency, method, gross, discount, tax, margin, settlement);
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return text == null ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Settlement details, when the payment settles later ({@code status} such as {@code pending}). */
    public record Settlement(String status, LocalDate scheduledDate) {
    }

    /**
     * Records a sale of the session (the positional form of {@link #sale}); returns its {@code saleId}, or null when
     * the sale is invalid (reported to the listener, nothing queued).
     *
     * @param margin     may be null
     * @param settlement may be null
     */
    public String record(Session session, String currency, PaymentMethod method, BigDecimal gross, BigDecimal discount,
                         BigDecimal tax, BigDecimal margin, Settlement settlement) {
        try {
            return recordOrThrow(session, currency, method, gross, discount, tax, margin, settlement);
        } catch (IllegalArgumentException invalid) {
            buffer.ignored("SalesRecorder.record", invalid.getMessage());
            return null;
        }
    }

    private String recordOrThrow(Session session, String currency, PaymentMethod method, BigDecimal gross,
                                 BigDecimal discount, BigDecimal tax, BigDecimal margin, Settlement settlement) {
        if (method == null) {
            throw new IllegalArgumentException("a sale needs a payment method");
        }
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
        long off = time.offsetMs();
        Instant at = time.now();
        ObjectNode sale = json.createObjectNode().put("saleId", saleId).put("sessionId", session.id())
                .put("soldAt", at.toString()).put("currency", currency).put("paymentMethod", method.apiName());
        ObjectNode amounts = sale.putObject("amounts").put("gross", gross).put("discount", discount).put("tax", tax)
                .put("net", net);
        if (margin != null) {
            amounts.put("margin", margin);
        }
        if (settlement != null) {
            ObjectNode s = sale.putObject("settlement").put("status", settlement.status() == null ? "pending" : settlement.status());
            if (settlement.scheduledDate() != null) {
                s.put("scheduledDate", settlement.scheduledDate().toString());
            }
        }
        buffer.add(Delivery.Kind.SALE, saleId, at, sale, off, null);
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
