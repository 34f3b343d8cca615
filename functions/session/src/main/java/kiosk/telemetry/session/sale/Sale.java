package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.time.ReportingCalendar.TimeDimension;

import java.math.BigDecimal;
import java.time.Instant;

/** A stored sale. Amounts are exact decimals; {@code margin} and {@code settlement} are optional. */
public record Sale(String saleId, String sessionId, String deviceId, String storeId, String groupId, String countryCode,
                   Instant soldAt, String currency, String paymentMethod, Amounts amounts, JsonNode settlement,
                   TimeDimension timeDimension, Instant createdAt) {

    public record Amounts(BigDecimal gross, BigDecimal discount, BigDecimal tax, BigDecimal net, BigDecimal margin) {
    }
}
