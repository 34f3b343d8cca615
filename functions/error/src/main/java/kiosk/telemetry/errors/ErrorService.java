package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.InputRules;
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
 * Errors: report (201/200 with the fingerprint; 409 for another device's id; 403 for another device's session),
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

    public ErrorService(ErrorStore store, ErrorsTable errors, ErrorGroupsTable groups, SessionOwners owners,
                        ConditionalBatchWriter writer, LateDataMarks lateMarks, ReportingCalendar calendar, Clock clock,
                        TelemetryConfig config) {
        this.store = store;
        this.errors = errors;
        this.groups = groups;
        this.owners = owners;
        this.writer = writer;
        this.lateMarks = lateMarks;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public Created report(Device caller, ObjectNode body) {
        owners.requireOwnSession(caller, body);
        Instant now = clock.instant();
        ErrorReport e = ErrorInput.read(FieldReader.of(body, rules(now)), caller, now);
        long size = errors.storedBytes(e);
        int limit = config.limits().maxErrorItemBytes();
        if (size > limit) {
            throw ApiException.recordTooLarge("the error report", size, limit, "shorten its stack, breadcrumbs or deviceState");
        }
        lateMarks.beforeWriting(calendar.dayOf(e.timestamp()));
        if (store.record(e)) {
            store.completeGroup(e);
            return new Created(e.errorId(), e.fingerprint(), true);
        }
        var stored = errors.get(e.errorId()).orElseThrow(() -> ApiException.storeUnavailable("error " + e.errorId() + " is being written; retry"));
        if (!caller.deviceId().equals(ErrorItem.DEVICE_ID.get(stored))) {
            throw ApiException.conflict("error " + e.errorId() + " already exists for another device");
        }
        ErrorView first = ErrorsTable.view(stored);
        // a repeat completes whatever a failed first attempt left undone (first write wins for the record itself)
        store.completeGroup(new ErrorReport(first.errorId(), first.sessionId(), first.deviceId(), first.storeId(), first.groupId(),
                first.countryCode(), Timestamps.parse(first.timestamp()), first.severity(), first.category(), first.code(),
                first.message(), first.stack(), first.breadcrumbs(), first.deviceState(), first.fingerprint(),
                Timestamps.parse(first.receivedAt())));
        return new Created(first.errorId(), first.fingerprint(), false);
    }

    public ErrorView get(String errorId) {
        return errors.get(canonical(errorId)).map(ErrorsTable::view)
                .orElseThrow(() -> ApiException.notFound("error " + errorId + " does not exist"));
    }

    public ErrorView resolve(String errorId, ObjectNode body) {
        Resolution r = resolution(body);
        return errors.resolve(canonical(errorId), r.by(), r.note(), clock.instant()).map(ErrorsTable::view)
                .orElseThrow(() -> ApiException.notFound("error " + errorId + " does not exist"));
    }

    /** Resolves the group and every error of it still in the table; safe to repeat after a 503. */
    public ErrorGroupView resolveGroup(String fingerprint, ObjectNode body) {
        Resolution r = resolution(body);
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw ApiException.notFound("error group " + fingerprint + " does not exist");
        }
        Instant now = clock.instant();
        ErrorGroupView group = groups.resolve(fingerprint, r.by(), r.note(), now)
                .orElseThrow(() -> ApiException.notFound("error group " + fingerprint + " does not exist"));
        List<String> ids = errors.idsWithFingerprint(fingerprint);
        var outcomes = writer.writeAll(ids, id -> errors.resolve(id, r.by(), r.note(), now).isPresent());
        long failed = outcomes.stream().filter(o -> o == ConditionalBatchWriter.Outcome.RETRY).count();
        if (failed > 0) {
            throw ApiException.storeUnavailable(failed + " of " + ids.size() + " errors of the group could not be resolved now; send the same request again");
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

    private record Resolution(String by, String note) {
    }

    private Resolution resolution(ObjectNode body) {
        FieldReader r = FieldReader.of(body, rules(clock.instant()));
        String by = r.string("resolvedBy", true, 256);
        String note = r.string("note", false);
        r.throwIfInvalid();
        return new Resolution(by, note);
    }

    private InputRules rules(Instant now) {
        var l = config.limits();
        return InputRules.of(l, now);
    }

    private static String canonical(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

}
