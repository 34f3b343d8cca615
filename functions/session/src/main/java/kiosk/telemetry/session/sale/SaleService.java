package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.InputRules;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.core.dynamo.SessionOwners;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Sales: first write wins per {@code saleId}; a sale for a session of another device is refused (403); a sale
 * may arrive before its session (offline kiosks), so an unknown session is accepted.
 */
@ApplicationScoped
public class SaleService {

    public record Created(String saleId, boolean created) {
    }

    private final SalesTable sales;
    private final SessionOwners owners;
    private final Clock clock;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final LateDataMarks lateMarks;

    public SaleService(SalesTable sales, SessionOwners owners, Clock clock, ReportingCalendar calendar, TelemetryConfig config,
                       LateDataMarks lateMarks) {
        this.sales = sales;
        this.lateMarks = lateMarks;
        this.owners = owners;
        this.clock = clock;
        this.calendar = calendar;
        this.config = config;
    }

    public Created create(Device caller, ObjectNode body) {
        owners.requireOwnSession(caller, body);
        Instant now = clock.instant();
        var l = config.limits();
        var in = SaleInput.read(FieldReader.of(body, InputRules.of(l, now)));
        Sale sale = new Sale(in.saleId(), in.sessionId(), caller.deviceId(), caller.storeId(), caller.groupId(),
                caller.countryCode(), in.soldAt(), in.currency(), in.paymentMethod(), in.amounts(), in.settlement(),
                calendar.dimensionOf(in.soldAt()), now);
        lateMarks.beforeWriting(calendar.dayOf(sale.soldAt()));
        var outcome = sales.create(sale);
        if (outcome.created()) {
            return new Created(sale.saleId(), true);
        }
        if (caller.deviceId().equals(outcome.ownerDeviceId())) {
            return new Created(sale.saleId(), false);
        }
        throw ApiException.conflict("sale " + sale.saleId() + " already exists for another device");
    }

    public SaleView get(String saleId) {
        if (saleId == null || saleId.length() != 36) {
            throw ApiException.notFound("sale " + saleId + " does not exist");
        }
        return sales.get(saleId.toLowerCase(Locale.ROOT)).map(SaleView::of)
                .orElseThrow(() -> ApiException.notFound("sale " + saleId + " does not exist"));
    }

    public Page<SaleView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        var page = sales.list(q.filter("deviceId"), q.filter("storeId"), q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(sales::toSale).map(SaleView::of).toList(), page.nextCursor());
    }
}
