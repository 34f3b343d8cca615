package kiosk.telemetry.session.sale;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Recorded;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.core.dynamo.SessionOwners;

import java.time.Clock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;

/**
 * Sales: first write wins per {@code saleId}; a sale for a session of another device is refused; a sale
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
    private final LiveTotals live;

    public SaleService(SalesTable sales, SessionOwners owners, Clock clock, ReportingCalendar calendar, TelemetryConfig config,
                       LateDataMarks lateMarks, LiveTotals live) {
        this.sales = sales;
        this.live = live;
        this.lateMarks = lateMarks;
        this.owners = owners;
        this.clock = clock;
        this.calendar = calendar;
        this.config = config;
    }

    public Recorded.Recording<Created> create(Device caller, Bound<SaleRequest> body) {
        String sessionId = body.value() == null ? null : body.value().sessionId();
        var session = owners.find(sessionId);
        if (session.isPresent() && !session.get().deviceId().equals(caller.deviceId())) {
            throw new ForeignRecordException("session", sessionId.toLowerCase(Locale.ROOT));
        }
        Instant now = clock.instant();
        SaleRequest in = body.orThrow();
        Sale sale = new Sale(in.saleId().toLowerCase(Locale.ROOT), in.sessionId().toLowerCase(Locale.ROOT), caller.deviceId(),
                caller.storeId(), caller.groupId(), caller.countryCode(), in.soldAt(), in.currency(), in.paymentMethod().name(),
                in.amounts().stored(), in.settlement() == null ? null : in.settlement().stored(), calendar.dimensionOf(in.soldAt()), now);
        lateMarks.beforeWriting(calendar.dayOf(sale.soldAt()));
        // a sale after midnight counts in its session's day's experiments: that day is summarised again if it already was
        session.map(s -> calendar.dayOf(s.startedAt())).filter(d -> d.plusDays(1).equals(calendar.dayOf(sale.soldAt())))
                .ifPresent(lateMarks::beforeWriting);
        var outcome = sales.create(sale);
        Recorded recorded = Recorded.of(outcome.created(), outcome.ownerDeviceId(), caller.deviceId());
        if (recorded == Recorded.NEW) {
            live.sale(caller, sale.soldAt(), sale.currency(), sale.paymentMethod(), amounts(sale.amounts()));
        }
        return recorded.of("sale", sale.saleId(), new Created(sale.saleId(), recorded == Recorded.NEW));
    }

    private static Map<String, BigDecimal> amounts(Sale.Amounts a) {
        Map<String, BigDecimal> out = new HashMap<>();
        out.put("gross", a.gross());
        out.put("discount", a.discount());
        out.put("tax", a.tax());
        out.put("net", a.net());
        out.put("margin", a.margin());
        return out;
    }

    public SaleView get(String saleId) {
        if (saleId == null || saleId.length() != 36) {
            throw Refusal.unknown("sale " + saleId + " does not exist");
        }
        return sales.get(saleId.toLowerCase(Locale.ROOT)).map(SaleView::of)
                .orElseThrow(() -> Refusal.unknown("sale " + saleId + " does not exist"));
    }

    public Page<SaleView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        var page = sales.list(q.filter("deviceId"), q.filter("storeId"), q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(sales::toSale).map(SaleView::of).toList(), page.nextCursor());
    }
}
