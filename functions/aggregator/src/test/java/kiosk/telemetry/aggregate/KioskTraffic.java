package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.errors.ConflictRetry;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorRequest;
import kiosk.telemetry.errors.ErrorService;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import kiosk.telemetry.events.EventBatchService;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.session.NewSessionRequest;
import kiosk.telemetry.session.SessionPatchRequest;
import kiosk.telemetry.session.SessionService;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.session.sale.SaleRequest;
import kiosk.telemetry.session.sale.SaleService;
import kiosk.telemetry.session.sale.SalesTable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kiosks sending records through the ingest functions' own services (as the routes call them, bodies bound by the
 * routes' binder), on a {@link KnownDay}'s engines, at the time of a clock the test moves.
 */
final class KioskTraffic {

    final TestClock clock;
    /** The metric lines the services emit. */
    final List<String> metricLines = new CopyOnWriteArrayList<>();
    private final Binder binder;
    private final SessionService sessions;
    private final SaleService sales;
    private final ErrorService errors;
    private final EventBatchService events;

    KioskTraffic(KnownDay known, Instant start) {
        var dynamo = known.dynamo;
        var config = known.config;
        var calendar = known.calendar;
        clock = new TestClock(start);
        var pager = new IndexPager(dynamo);
        var emf = new Emf("KioskTelemetry", "test", clock, metricLines::add);
        var live = new LiveTotals(new LiveTotalsTable(dynamo, config), calendar, clock, emf, config.live().markCache());
        var lateMarks = new LateDataMarks(new DayMarksTable(dynamo, config), calendar, clock);
        var owners = new SessionOwners(dynamo, config);
        binder = Binder.standalone(config, clock);
        sessions = new SessionService(new SessionsTable(dynamo, pager, calendar, config), clock, calendar, config, lateMarks, emf, live);
        sales = new SaleService(new SalesTable(dynamo, pager, calendar, config), owners, clock, calendar, config, lateMarks, live);
        var errorsTable = new ErrorsTable(dynamo, pager, calendar, config);
        var groups = new ErrorGroupsTable(dynamo, pager, config);
        errors = new ErrorService(new ErrorStore(dynamo, errorsTable, groups, new ConflictRetry(config)), errorsTable, groups, owners,
                new ConditionalBatchWriter(config), lateMarks, calendar, clock, config, live);
        events = new EventBatchService(new EventsTable(dynamo, pager, calendar, config), new BatchIngest(binder, owners,
                new ConditionalBatchWriter(config), lateMarks, calendar, clock, config, emf, live), calendar, clock, config);
    }

    void session(Device d, String id, Instant startedAt) {
        session(d, id, startedAt, null);
    }

    /** A new session; {@code experiments} a JSON object or null. */
    void session(Device d, String id, Instant startedAt, String experiments) {
        sessions.create(d, binder.bind(Json.readStored("{\"sessionId\":\"" + id + "\",\"startedAt\":\"" + startedAt + "\""
                + (experiments == null ? "" : ",\"experiments\":" + experiments) + "}"), NewSessionRequest.class));
    }

    void patch(Device d, String id, String body) {
        sessions.update(d, id, binder.bind(Json.readStored(body), SessionPatchRequest.class));
    }

    void sale(Device d, String id, String session, Instant soldAt, String currency, String method, String amounts) {
        sales.create(d, binder.bind(Json.readStored("{\"saleId\":\"" + id + "\",\"sessionId\":\"" + session + "\",\"soldAt\":\"" + soldAt
                + "\",\"currency\":\"" + currency + "\",\"paymentMethod\":\"" + method + "\",\"amounts\":" + amounts + "}"), SaleRequest.class));
    }

    void error(Device d, String session, Instant at, String severity, String category) {
        errors.report(d, binder.bind(Json.readStored("{\"errorId\":\"" + UUID.randomUUID() + "\"," + (session == null ? "" : "\"sessionId\":\"" + session + "\",")
                + "\"timestamp\":\"" + at + "\",\"severity\":\"" + severity + "\",\"category\":\"" + category + "\",\"code\":\"E1\",\"message\":\"m\"}"),
                ErrorRequest.class));
    }

    /** {@code n} events one second apart from {@code at}, of {@code session} (a new id when null). */
    void events(Device d, String session, Instant at, int n) {
        String sessionId = session == null ? UUID.randomUUID().toString() : session;
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sessionId\":\"").append(sessionId).append("\",\"sequenceNo\":").append(i)
                    .append(",\"eventType\":\"tap\",\"timestamp\":\"").append(at.plusSeconds(i)).append("\"}");
        }
        events.ingest(d, (ObjectNode) Json.readStored(sb.append("]}").toString()));
    }
}
