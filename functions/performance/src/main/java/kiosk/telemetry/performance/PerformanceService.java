package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayWalk;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Recorded;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.store.TimingItem;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Timings: one route for a single metric (new, repeated, or another device's id; refused for another device's
 * session) and a batch route with the event batch's per-item answer, through the shared {@link BatchIngest}. A timing is
 * stored once per (session, {@code metricId}), or per (device, {@code metricId}) outside a session; one whose id is in
 * the old Metrics table is a repeat of that one.
 */
@ApplicationScoped
public class PerformanceService {

    public record Created(String metricId, boolean created) {
    }

    private final TimingsTable timings;
    private final LegacyMetricsTable legacy;
    private final BatchIngest batches;
    private final SessionOwners owners;
    private final LateDataMarks lateMarks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;
    private final LiveTotals live;

    public PerformanceService(TimingsTable timings, LegacyMetricsTable legacy, BatchIngest batches, SessionOwners owners, LateDataMarks lateMarks,
                              ReportingCalendar calendar, Clock clock, TelemetryConfig config, LiveTotals live) {
        this.timings = timings;
        this.legacy = legacy;
        this.live = live;
        this.batches = batches;
        this.owners = owners;
        this.lateMarks = lateMarks;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public Recorded.Recording<Created> record(Device caller, Bound<MetricRequest> body) {
        String sessionId = body.value() == null ? null : body.value().sessionId();
        if (owners.isForeign(caller, sessionId)) {
            throw new ForeignRecordException("session", sessionId.toLowerCase(Locale.ROOT));
        }
        Instant now = clock.instant();
        Metric m = body.orThrow().toMetric(caller, now);
        lateMarks.beforeWriting(calendar.dayOf(m.timestamp()));
        String oldOwner = legacy.ownersOf(List.of(m.metricId())).get(m.metricId());
        var outcome = oldOwner != null ? new TimingsTable.PutOutcome(false, oldOwner) : timings.putIfAbsent(m);
        Recorded recorded = Recorded.of(outcome.created(), outcome.ownerDeviceId(), caller.deviceId());
        if (recorded == Recorded.NEW) {
            live.reported(caller, List.of(m.timestamp()));
        }
        return recorded.of("metric", m.metricId(), new Created(m.metricId(), recorded == Recorded.NEW));
    }

    public BatchResult recordBatch(Device caller, ObjectNode body) {
        Map<String, String> oldOwners = new ConcurrentHashMap<>();
        return batches.ingest(caller, body, "metrics", new BatchIngest.Kind<MetricRequest, Metric>() {
            @Override
            public Class<MetricRequest> itemType() {
                return MetricRequest.class;
            }

            @Override
            public Metric from(MetricRequest item, Instant now) {
                return item.toMetric(caller, now);
            }

            @Override
            public String sessionId(Metric m) {
                return m.sessionId();
            }

            @Override
            public String key(Metric m) {
                return TimingItem.sessionKey(m.sessionId(), m.deviceId()) + "#" + m.metricId();
            }

            @Override
            public Instant time(Metric m) {
                return m.timestamp();
            }

            /** The batch's ids in the old Metrics table, read at once, then the session-day entries. */
            @Override
            public void beforeWriting(List<Metric> items) {
                oldOwners.putAll(legacy.ownersOf(items.stream().map(Metric::metricId).toList()));
                timings.beforeWriting(items);
            }

            /** A timing whose id the old Metrics table holds is that timing again: not written. */
            @Override
            public boolean putIfAbsent(Metric m) {
                return !oldOwners.containsKey(m.metricId()) && timings.putItemIfAbsent(m).created();
            }
        });
    }

    public Page<MetricView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        String success = q.filter("success");
        String deviceId = q.filter("deviceId");
        String metricType = q.filter("metricType");
        Boolean ok = success == null ? null : Boolean.valueOf(success);
        var page = DayWalk.page(days, q.from(), q.to(), q.limit(), q.cursor(), q.scope(), (day, sink) -> {
            timings.dayTimings(day, deviceId, metricType, ok, sink);
            legacy.dayTimings(day, deviceId, metricType, ok, sink);
        });
        return new Page<>(page.items().stream().map(TimingsTable::view).toList(), page.nextCursor());
    }
}
