package kiosk.telemetry.session;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Recorded;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.metrics.Emf;

/**
 * Session rules beyond field validation: ownership, first-write-wins creation (new, repeated, or another device's
 * id), and PATCH ordering by {@code seq} with the status machine (stale: not applied; illegal move: 409).
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    /** Concurrent PATCHes of one session re-read and retry; each round makes progress or ends. */
    private static final int PATCH_ATTEMPTS = 8;

    public record Created(String sessionId, boolean created) {
    }

    public record Applied(boolean applied) {
    }

    private final SessionsTable sessions;
    private final Clock clock;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final LateDataMarks lateMarks;
    private final Emf emf;
    private final LiveTotals live;

    public SessionService(SessionsTable sessions, Clock clock, ReportingCalendar calendar, TelemetryConfig config,
                          LateDataMarks lateMarks, Emf emf, LiveTotals live) {
        this.emf = emf;
        this.live = live;
        this.sessions = sessions;
        this.lateMarks = lateMarks;
        this.clock = clock;
        this.calendar = calendar;
        this.config = config;
    }

    public Recorded.Recording<Created> create(Device caller, Bound<NewSessionRequest> body) {
        String claimed = body.value() == null ? null : body.value().deviceId();
        if (claimed != null && !claimed.equals(caller.deviceId())) {
            throw Refusal.notYours("deviceId " + claimed + " is not the device of this token");
        }
        Instant now = clock.instant();
        NewSessionRequest in = body.orThrow();
        String id = in.sessionId().toLowerCase(Locale.ROOT);
        Session s = new Session(id, caller.deviceId(),
                placement("storeId", caller.storeId(), in.storeId(), caller, id),
                placement("groupId", caller.groupId(), in.groupId(), caller, id),
                placement("countryCode", caller.countryCode(), in.countryCode(), caller, id),
                in.startedAt(), in.appVersion(), in.experiments(), SessionStatus.started.name(), 0,
                null, null, null, null, now, now);
        lateMarks.beforeWriting(calendar.dayOf(s.startedAt()));
        var outcome = sessions.create(s);
        Recorded recorded = Recorded.of(outcome.created(), outcome.ownerDeviceId(), caller.deviceId());
        if (recorded == Recorded.NEW) {
            emf.emit(Emf.values(Emf.Metric.SessionsCreated, 1));
            live.sessionStarted(caller, s.startedAt());
        }
        return recorded.of("session", id, new Created(id, recorded == Recorded.NEW));
    }

    /**
     * A session's store, group or country: the registry's value wherever the device has one (the registry is
     * where a device's placement is kept; a kiosk's own setting may be stale), else the body's. A body value that
     * contradicts the registry is not stored and not refused (a refusal would lose the visit); it is logged so
     * operators can find kiosks whose configuration is out of date.
     */
    private static String placement(String field, String registered, String claimed, Device caller, String sessionId) {
        if (registered == null) {
            return claimed;
        }
        if (claimed != null && !claimed.equals(registered)) {
            LOG.warnf("session %s of device %s: body %s '%s' ignored, the registry has '%s'", sessionId, caller.deviceId(),
                    field, claimed, registered);
        }
        return registered;
    }

    public Applied update(Device caller, String sessionId, Bound<SessionPatchRequest> body) {
        String id = canonicalId(sessionId);
        Session current = owned(caller, id);
        SessionPatch patch = patch(body);
        for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                current = owned(caller, id);
            }
            if (current == null) {
                throw Refusal.unknown("session " + sessionId + " does not exist");
            }
            if (patch.seq() <= current.seq()) {
                return new Applied(false);
            }
            if (patch.status() != null) {
                SessionStatus from = SessionStatus.valueOf(current.status());
                SessionStatus to = SessionStatus.valueOf(patch.status());
                if (!from.mayBecome(to)) {
                    throw Refusal.conflict("session " + id + " cannot go from " + from + " to " + to);
                }
            }
            lateMarks.beforeWriting(calendar.dayOf(current.startedAt()));
            if (sessions.applyPatch(id, patch, current.seq(), clock.instant())) {
                live.sessionChanged(caller, current.startedAt(), current.status(), patch.status() == null ? current.status() : patch.status(),
                        current.endedAt(), patch.endedAt().present() ? patch.endedAt().value() : current.endedAt());
                return new Applied(true);
            }
        }
        throw Refusal.busy("session " + sessionId + " is being updated concurrently; retry");
    }

    /** The stored session (null when unknown); refused when it is another device's. */
    private Session owned(Device caller, String id) {
        Session current = id == null ? null : sessions.get(id).orElse(null);
        if (current != null && !current.deviceId().equals(caller.deviceId())) {
            throw new ForeignRecordException("session", id);
        }
        return current;
    }

    /** The valid PATCH; a field given as null clears the stored one, {@code status} excepted (it cannot be cleared). */
    private static SessionPatch patch(Bound<SessionPatchRequest> body) {
        // "status": null cannot be expressed on the record (absent means "keep"): its error joins the bound ones, in
        // the record's field order (after seq), so one answer names every bad field
        if (body.given("status") && body.source().get("status").isNull()) {
            List<FieldError> errors = new ArrayList<>(body.errors());
            int at = errors.isEmpty() || !errors.get(0).field().equals("seq") ? 0 : 1;
            errors.add(at, new FieldError("status", "is required"));
            throw Refusal.invalid(errors);
        }
        SessionPatchRequest p = body.orThrow();
        var funnel = p.funnel() == null ? null : p.funnel().normalised(body.given("funnel.exitStage"));
        var behavior = p.behavior() == null ? null : p.behavior().normalised();
        return new SessionPatch(p.seq(), p.status() == null ? null : p.status().name(), change(body, "endedAt", p.endedAt()),
                change(body, "exitReason", p.exitReason()), change(body, "funnel", funnel), change(body, "behavior", behavior));
    }

    private static <T> SessionPatch.Change<T> change(Bound<?> body, String field, T value) {
        if (!body.given(field)) {
            return SessionPatch.Change.absent();
        }
        return value == null ? SessionPatch.Change.cleared() : SessionPatch.Change.to(value);
    }

    public SessionView get(String sessionId) {
        String id = canonicalId(sessionId);
        return (id == null ? Optional.<Session>empty() : sessions.get(id))
                .map(SessionView::of)
                .orElseThrow(() -> Refusal.unknown("session " + sessionId + " does not exist"));
    }

    public Page<SessionView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        var filter = new SessionsTable.ListFilter(q.filter("deviceId"), q.filter("storeId"), q.filter("groupId"),
                q.filter("status"), q.filter("countryCode"));
        var result = sessions.list(filter, q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(result.items().stream().map(SessionsTable::toSession).map(SessionView::of).toList(), result.nextCursor());
    }

    /** Path ids are compared in canonical (lower-case) form; anything that is not a UUID cannot exist. */
    static String canonicalId(String raw) {
        if (raw == null || raw.length() != 36) {
            return null;
        }
        return raw.toLowerCase(Locale.ROOT);
    }
}
