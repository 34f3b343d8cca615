package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Recorded;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Timings: one route for a single metric (new, repeated, or another device's id; refused for another device's
 * session) and a batch route with the event batch's per-item answer, through the shared {@link BatchIngest}.
 */
@ApplicationScoped
public class PerformanceService {

    public record Created(String metricId, boolean created) {
    }

    private final MetricsTable metrics;
    private final BatchIngest batches;
    private final SessionOwners owners;
    private final LateDataMarks lateMarks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;
    private final LiveTotals live;

    public PerformanceService(MetricsTable metrics, BatchIngest batches, SessionOwners owners, LateDataMarks lateMarks,
                              ReportingCalendar calendar, Clock clock, TelemetryConfig config, LiveTotals live) {
        this.metrics = metrics;
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
        var outcome = metrics.put(m);
        Recorded recorded = Recorded.of(outcome.created(), outcome.ownerDeviceId(), caller.deviceId());
        if (recorded == Recorded.NEW) {
            live.reported(caller, List.of(m.timestamp()));
        }
        return recorded.of("metric", m.metricId(), new Created(m.metricId(), recorded == Recorded.NEW));
    }

    public BatchResult recordBatch(Device caller, ObjectNode body) {
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
                return m.metricId();
            }

            @Override
            public Instant time(Metric m) {
                return m.timestamp();
            }

            @Override
            public boolean putIfAbsent(Metric m) {
                return metrics.put(m).created();
            }
        });
    }

    public Page<MetricView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        String success = q.filter("success");
        var page = metrics.list(q.filter("deviceId"), q.filter("metricType"), success == null ? null : Boolean.valueOf(success),
                q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(MetricsTable::view).toList(), page.nextCursor());
    }
}
