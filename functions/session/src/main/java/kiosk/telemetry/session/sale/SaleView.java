package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar.TimeDimension;

/** A sale as the API shows it: amounts as exact JSON numbers, {@code timeDimension} in the reporting zone. */
public record SaleView(String saleId, String sessionId, String deviceId, String storeId, String groupId,
                       String countryCode, String soldAt, String currency, String paymentMethod, Sale.Amounts amounts,
                       JsonNode settlement, TimeDimension timeDimension, String createdAt) {

    static SaleView of(Sale s) {
        return new SaleView(s.saleId(), s.sessionId(), s.deviceId(), s.storeId(), s.groupId(), s.countryCode(),
                Timestamps.format(s.soldAt()), s.currency(), s.paymentMethod(), s.amounts(), s.settlement(),
                s.timeDimension(), Timestamps.format(s.createdAt()));
    }
}
