package kiosk.telemetry.core.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.LiveTotalItem;
import kiosk.telemetry.core.summary.SummaryWriter;
import kiosk.telemetry.core.time.ReportingCalendar;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the current reporting day up as records are stored, for {@code /api/insights/today}: called by the ingest
 * services once a conditional write says a record is new (or a session's state really changed), never for a repeat.
 * Only records of the current day count (a backlog of older days costs no writes); each counts in the same day
 * and with the same rules as the nightly summary (sessions by {@code startedAt}, sales by {@code soldAt}, errors by
 * {@code timestamp}, devices once each), into the cell of the device's registry store, group and country.
 * <p>
 * A failed count is logged and counted ({@code LiveTotalsMissed}), never answered as an error: the record is stored
 * and the nightly rollup will count it. A function that dies between the record's write and its count loses that
 * count for the rest of the day (docs/insights.md).
 */
@ApplicationScoped
public class LiveTotals {

    private static final Logger LOG = Logger.getLogger(LiveTotals.class);
    private static final String UNKNOWN = "unknown";
    /** Cells and marks outlive their day by this much: {@code today} only ever reads the current day. */
    private static final Duration KEEP = Duration.ofDays(2);

    private final LiveTotalsTable table;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Emf emf;
    private final Map<String, Boolean> marked;

    @Inject
    public LiveTotals(LiveTotalsTable table, ReportingCalendar calendar, Clock clock, Emf emf, TelemetryConfig config) {
        this(table, calendar, clock, emf, config.live().markCache());
    }

    public LiveTotals(LiveTotalsTable table, ReportingCalendar calendar, Clock clock, Emf emf, int markCache) {
        this.table = table;
        this.calendar = calendar;
        this.clock = clock;
        this.emf = emf;
        this.marked = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > markCache;
            }
        };
    }

    /** A new session: one more session, in status {@code started}; the device is reporting and active. */
    public void sessionStarted(Device device, Instant startedAt) {
        LocalDate day = today(startedAt);
        if (day == null) {
            return;
        }
        Counts c = new Counts();
        c.add(LiveTotalItem.SESSIONS, 1);
        c.add(LiveTotalItem.status(SessionStatus.started.name()), 1);
        count(device, day, c, true);
    }

    /**
     * A session's applied change: its status moves from one count to the other, and its duration (end − start)
     * joins, leaves or changes the ended sessions' sum.
     */
    public void sessionChanged(Device device, Instant startedAt, String oldStatus, String newStatus, Instant oldEndedAt, Instant newEndedAt) {
        LocalDate day = today(startedAt);
        if (day == null) {
            return;
        }
        Counts c = new Counts();
        if (!oldStatus.equals(newStatus)) {
            c.add(LiveTotalItem.status(oldStatus), -1);
            c.add(LiveTotalItem.status(newStatus), 1);
        }
        c.add(LiveTotalItem.ENDED, (newEndedAt == null ? 0 : 1) - (oldEndedAt == null ? 0 : 1));
        c.add(LiveTotalItem.DURATION_MS_SUM, duration(startedAt, newEndedAt) - duration(startedAt, oldEndedAt));
        if (!c.isEmpty()) {
            write(device, day, c);
        }
    }

    /** A new sale: its count, its amounts in its currency, its payment method's count and net. */
    public void sale(Device device, Instant soldAt, String currency, String paymentMethod, Map<String, BigDecimal> amounts) {
        LocalDate day = today(soldAt);
        if (day == null) {
            return;
        }
        Counts c = new Counts();
        c.add(LiveTotalItem.SALES, 1);
        // amounts are added even when 0, so the currency and the method's net appear as they do in the summary
        for (String a : SummaryWriter.SALE_AMOUNTS) {
            c.addEvenZero(LiveTotalItem.amount(a, currency), amounts.get(a));
        }
        c.add(LiveTotalItem.method(paymentMethod), 1);
        c.addEvenZero(LiveTotalItem.methodNet(paymentMethod, currency), amounts.get("net"));
        count(device, day, c, false);
    }

    /** A new error: its count by severity and category. */
    public void error(Device device, Instant timestamp, String severity, String category) {
        LocalDate day = today(timestamp);
        if (day == null) {
            return;
        }
        Counts c = new Counts();
        c.add(LiveTotalItem.ERRORS, 1);
        c.add(LiveTotalItem.severity(severity), 1);
        c.add(LiveTotalItem.category(category), 1);
        count(device, day, c, false);
    }

    /** New records of other kinds (events, timings), at these times: the device is reporting if one is today's. */
    public void reported(Device device, Collection<Instant> times) {
        LocalDate today = calendar.dayOf(clock.instant());
        if (times.stream().noneMatch(t -> calendar.dayOf(t).equals(today))) {
            return;
        }
        count(device, today, new Counts(), false);
    }

    private LocalDate today(Instant t) {
        LocalDate day = calendar.dayOf(t);
        return day.equals(calendar.dayOf(clock.instant())) ? day : null;
    }

    /** Marks the device (unless this instance already did today), adds what the mark says is new, and writes. */
    private void count(Device device, LocalDate day, Counts c, boolean startedSession) {
        String key = device.deviceId() + "|" + day;
        boolean known;
        synchronized (marked) {
            Boolean session = marked.get(key);
            known = session != null && (session || !startedSession);
        }
        LiveTotalsTable.Marked m = null;
        if (!known) {
            try {
                m = table.mark(day, device.deviceId(), startedSession, expiresAt(day));
                if (m.firstReport()) {
                    c.add(LiveTotalItem.REPORTING, 1);
                }
                if (m.firstSession()) {
                    c.add(LiveTotalItem.ACTIVE, 1);
                }
            } catch (SdkException e) {
                missed(device, e); // the record's own counts are still written below
            }
        }
        if (c.isEmpty()) {
            remember(key, m, startedSession);
            return;
        }
        try {
            table.add(day, dim(device.storeId()), dim(device.groupId()), dim(device.countryCode()), c.byName, expiresAt(day));
            remember(key, m, startedSession);
        } catch (SdkException e) {
            missed(device, e);
            if (m != null && (m.firstReport() || m.firstSession())) {
                // the device was counted nowhere: take the mark back so that its next record counts it
                try {
                    table.unmark(day, device.deviceId(), m.firstReport(), m.firstSession());
                } catch (SdkException again) {
                    missed(device, again);
                }
            }
        }
    }

    private void remember(String key, LiveTotalsTable.Marked m, boolean startedSession) {
        if (m != null) {
            synchronized (marked) {
                marked.merge(key, startedSession, Boolean::logicalOr);
            }
        }
    }

    private void write(Device device, LocalDate day, Counts c) {
        try {
            table.add(day, dim(device.storeId()), dim(device.groupId()), dim(device.countryCode()), c.byName, expiresAt(day));
        } catch (SdkException e) {
            missed(device, e);
        }
    }

    private void missed(Device device, SdkException e) {
        LOG.warnf("today's running totals not counted for a record of device %s: %s", device.deviceId(), e.getMessage());
        emf.emit(Emf.values(Emf.Metric.LiveTotalsMissed, 1));
    }

    private long expiresAt(LocalDate day) {
        return calendar.expiresAt(day, KEEP);
    }

    private static long duration(Instant start, Instant end) {
        return end == null ? 0 : end.toEpochMilli() - start.toEpochMilli();
    }

    /** The summary's dimension rule: {@code unknown} where the registry has none. */
    private static String dim(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }

    /** Counter name → amount to add, zeros left out. */
    private static final class Counts {
        private final Map<String, BigDecimal> byName = new TreeMap<>();

        void add(Attribute<?> counter, long n) {
            add(counter, BigDecimal.valueOf(n));
        }

        /** Adds {@code n} even when it is 0, so the counter exists (null counts as 0). */
        void addEvenZero(Attribute<?> counter, BigDecimal n) {
            byName.merge(counter.name(), n == null ? BigDecimal.ZERO : n, BigDecimal::add);
        }

        void add(Attribute<?> counter, BigDecimal n) {
            if (n == null || n.signum() == 0) {
                return;
            }
            byName.merge(counter.name(), n, BigDecimal::add);
            if (byName.get(counter.name()).signum() == 0) {
                byName.remove(counter.name());
            }
        }

        boolean isEmpty() {
            return byName.isEmpty();
        }
    }
}
