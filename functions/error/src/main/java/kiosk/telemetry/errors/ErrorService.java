package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Recorded;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.store.ErrorItem;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import java.util.regex.Pattern;

/**
 * Errors: report (new or repeated, with the fingerprint; another device's id; refused for another device's session),
 * read, list, resolve (idempotent), and the fingerprint groups with their resolve and regression.
 */
@ApplicationScoped
public class ErrorService {

    private static final Pattern FINGERPRINT = Pattern.compile("^[0-9a-f]{20}$");

    public record Created(String errorId, String fingerprint, boolean created) {
    }

    private final ErrorStore store;
    private final ErrorsTable errors;
    private final ErrorGroupsTable groups;
    private final SessionOwners owners;
    private final ConditionalBatchWriter writer;
    private final LateDataMarks lateMarks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;
    private final LiveTotals live;

    public ErrorService(ErrorStore store, ErrorsTable errors, ErrorGroupsTable groups, SessionOwners owners,
                        ConditionalBatchWriter writer, LateDataMarks lateMarks, ReportingCalendar calendar, Clock clock,
                        TelemetryConfig config, LiveTotals live) {
        this.store = store;
        this.live = live;
        this.errors = errors;
        this.groups = groups;
        this.owners = owners;
        this.writer = writer;
        this.lateMarks = lateMarks;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public Recorded.Recording<Created> report(Device caller, Bound<ErrorRequest> body) {
        String sessionId = body.value() == null ? null : body.value().sessionId();
        if (owners.isForeign(caller, sessionId)) {
            throw new ForeignRecordException("session", sessionId.toLowerCase(Locale.ROOT));
        }
        Instant now = clock.instant();
        ErrorReport e = body.orThrow().toReport(caller, now);
        long size = errors.storedBytes(e);
        int limit = config.limits().maxErrorItemBytes();
        if (size > limit) {
            throw Refusal.tooLarge("the error report", size, limit, "shorten its stack, breadcrumbs or deviceState");
        }
        lateMarks.beforeWriting(calendar.dayOf(e.timestamp()));
        if (store.record(e)) {
            live.error(caller, e.timestamp(), e.severity(), e.category());
            store.completeGroup(e);
            return Recorded.NEW.of("error", e.errorId(), new Created(e.errorId(), e.fingerprint(), true));
        }
        var stored = errors.get(e.errorId()).orElseThrow(() -> Refusal.busy("error " + e.errorId() + " is being written; retry"));
        Recorded recorded = Recorded.of(false, ErrorItem.DEVICE_ID.get(stored), caller.deviceId());
        if (recorded == Recorded.TAKEN_BY_OTHER_DEVICE) {
            return recorded.of("error", e.errorId(), null);
        }
        ErrorView first = ErrorsTable.view(stored);
        // a repeat completes whatever a failed first attempt left undone (first write wins for the record itself)
        store.completeGroup(new ErrorReport(first.errorId(), first.sessionId(), first.deviceId(), first.storeId(), first.groupId(),
                first.countryCode(), Timestamps.parse(first.timestamp()), first.severity(), first.category(), first.code(),
                first.message(), first.stack(), first.breadcrumbs(), first.deviceState(), first.fingerprint(),
                Timestamps.parse(first.receivedAt())));
        return recorded.of("error", first.errorId(), new Created(first.errorId(), first.fingerprint(), false));
    }

    public ErrorView get(String errorId) {
        return errors.get(canonical(errorId)).map(ErrorsTable::view)
                .orElseThrow(() -> Refusal.unknown("error " + errorId + " does not exist"));
    }

    public ErrorView resolve(String errorId, Bound<ResolveRequest> body) {
        ResolveRequest r = body.orThrow();
        return errors.resolve(canonical(errorId), r.resolvedBy(), r.note(), clock.instant()).map(ErrorsTable::view)
                .orElseThrow(() -> Refusal.unknown("error " + errorId + " does not exist"));
    }

    /** Resolves the group and every error of it still in the table; safe to repeat after a 503. */
    public ErrorGroupView resolveGroup(String fingerprint, Bound<ResolveRequest> body) {
        ResolveRequest r = body.orThrow();
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw Refusal.unknown("error group " + fingerprint + " does not exist");
        }
        Instant now = clock.instant();
        ErrorGroupView group = groups.resolve(fingerprint, r.resolvedBy(), r.note(), now)
                .orElseThrow(() -> Refusal.unknown("error group " + fingerprint + " does not exist"));
        List<String> ids = errors.idsWithFingerprint(fingerprint);
        var outcomes = writer.writeAll(ids, id -> errors.resolve(id, r.resolvedBy(), r.note(), now).isPresent());
        long failed = outcomes.stream().filter(o -> o == ConditionalBatchWriter.Outcome.RETRY).count();
        if (failed > 0) {
            throw Refusal.busy(failed + " of " + ids.size() + " errors of the group could not be resolved now; send the same request again");
        }
        return group;
    }

    public Page<ErrorView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        String resolved = q.filter("resolved");
        var page = errors.list(q.filter("deviceId"), q.filter("severity"), q.filter("category"),
                resolved == null ? null : Boolean.valueOf(resolved), q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(ErrorsTable::view).toList(), page.nextCursor());
    }

    public Page<ErrorGroupView> listGroups(ListQuery q) {
        String resolved = q.filter("resolved");
        var page = groups.list(q.filter("category"), resolved == null ? null : Boolean.valueOf(resolved), q.from(), q.to(),
                q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(ErrorGroupsTable::view).toList(), page.nextCursor());
    }

    private static String canonical(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

}
