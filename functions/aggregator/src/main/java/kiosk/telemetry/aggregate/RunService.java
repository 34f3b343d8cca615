package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.SessionTimeouts;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.time.ReportingCalendar;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Aggregation runs: started by the schedule (the day that just ended) or by an operator (a date or a range of
 * at most 31 days, not in the future, whose raw rows still exist); every run also takes the days marked late
 * before it started. Exactly one invocation executes a run (a conditional claim), and each day is aggregated
 * under a lease, so two runs of one day never interleave: the later one records the day as {@code skipped}.
 * A run marks its days as being aggregated, waits until no ingestion process can still believe otherwise, then
 * aggregates day by day, recording each day's outcome and figures; any failed day fails the run. A day is not
 * published with fewer records of a kind than its archive already holds unless the run was started with
 * {@code force}.
 */
public final class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    public record Started(String runId, List<String> dates) {
    }

    /** How long a session may stay {@code started} or {@code in_progress} before the nightly run ends it. */
    public static final Duration OPEN_AT_MOST = Duration.ofHours(24);
    /**
     * Sessions that passed {@link #OPEN_AT_MOST} within this long before tonight are looked at: two nights, so one
     * missed night loses nothing, and each session's index entry is read on two nights at most.
     */
    public static final Duration TIMEOUT_LOOKBACK = Duration.ofHours(48);
    /** The days (the day that ended included) whose index partitions hold those sessions' starts. */
    public static final int TIMEOUT_DAYS = 3;

    /** The timing rules of runs: settle before reading, how long a claim and a day lease last, raw retention. */
    public record Timing(Duration settle, Duration lease, Duration rawRetention, int maxDays) {
    }

    private final AggregationRunsTable runs;
    private final DayMarksTable marks;
    private final DayAggregation aggregation;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Timing timing;
    private final Emf emf;
    private final SessionTimeouts timeouts;
    private RunLauncher launcher;

    public RunService(AggregationRunsTable runs, DayMarksTable marks, DayAggregation aggregation, ReportingCalendar calendar,
                      Clock clock, Timing timing, Emf emf, SessionTimeouts timeouts) {
        this.runs = runs;
        this.timeouts = timeouts;
        this.marks = marks;
        this.aggregation = aggregation;
        this.calendar = calendar;
        this.clock = clock;
        this.timing = timing;
        this.emf = emf;
    }

    public void launchWith(RunLauncher launcher) {
        this.launcher = launcher;
    }

    /** {@code {"date"}} or {@code {"from","to"}} (inclusive), optionally {@code "force": true}, validated as the contract says. */
    public Started startManual(Bound<AggregateRequest> body) {
        Instant now = clock.instant();
        AggregateRequest in = body.orThrow();
        LocalDate date = in.date();
        LocalDate from = in.from();
        LocalDate to = in.to();
        Boolean force = in.force();
        String fromField = "from";
        if (date != null) {
            if (from != null || to != null) {
                throw Refusal.invalid("date", "give either date, or from and to");
            }
            from = date;
            to = date;
            fromField = "date";
        } else if (from == null || to == null) {
            throw Refusal.invalid(from == null ? "from" : "to", "is required (or give date)");
        }
        if (to.isBefore(from)) {
            throw Refusal.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > timing.maxDays()) {
            throw Refusal.invalid("to", "a run covers at most " + timing.maxDays() + " days");
        }
        if (to.isAfter(calendar.dayOf(now))) {
            throw Refusal.invalid("to", "must not be in the future");
        }
        if (!rawRowsOutlastRun(from, now)) {
            throw Refusal.invalid(fromField, from + " is older than the raw retention (" + timing.rawRetention().toDays()
                    + " days): its raw rows are gone or expire before a run could finish, and re-aggregating it would empty its archive");
        }
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.add(d);
        }
        return start("manual", days, Boolean.TRUE.equals(force));
    }

    /**
     * The nightly run: the reporting day that just ended. First, every session of the last {@value #TIMEOUT_DAYS} days
     * still open more than {@link #OPEN_AT_MOST} after its start is ended as {@code timeout}; a day already aggregated
     * that had one is marked late, so this run aggregates it again.
     */
    public Started startScheduled() {
        Instant now = clock.instant();
        LocalDate yesterday = calendar.dayOf(now).minusDays(1);
        Instant cutoff = now.minus(OPEN_AT_MOST);
        for (int back = TIMEOUT_DAYS - 1; back >= 0; back--) {
            LocalDate day = yesterday.minusDays(back);
            try {
                List<String> ended = timeouts.endOpen(day, cutoff.minus(TIMEOUT_LOOKBACK), cutoff, now);
                if (!ended.isEmpty()) {
                    LOG.infof("ended %d sessions of %s left open over %s as timeout", ended.size(), day, OPEN_AT_MOST);
                    marks.markLate(day, now, ended.size());
                }
            } catch (SdkException e) {
                // housekeeping: the night's run starts anyway, and the next night looks at these sessions again
                LOG.warnf("sessions of %s left open could not be ended as timeout: %s", day, e.getMessage());
            }
        }
        return start("schedule", List.of(yesterday), false);
    }

    /** Can a run started at {@code now} still read every raw row of {@code day} until it must have finished? */
    private boolean rawRowsOutlastRun(LocalDate day, Instant now) {
        Instant expires = calendar.endOf(day).plus(timing.rawRetention());
        return expires.isAfter(now.plus(timing.settle()).plus(timing.lease()));
    }

    private Started start(String trigger, List<LocalDate> requested, boolean force) {
        Instant now = clock.instant();
        TreeSet<LocalDate> days = new TreeSet<>(requested);
        LocalDate today = calendar.dayOf(now);
        for (LocalDate late : marks.lateDays()) {
            if (!late.isBefore(today)) {
                continue;
            }
            if (rawRowsOutlastRun(late, now)) {
                days.add(late);
            } else {
                LOG.warnf("day %s is marked late but its raw rows have expired: not re-aggregated, its archive stays as it is", late);
            }
        }
        String runId = UUID.randomUUID().toString();
        List<AggregationRun.Day> pending = days.stream().map(d -> AggregationRun.Day.pending(d.toString())).toList();
        runs.put(new AggregationRun(runId, trigger, "running", Timestamps.format(now), null, pending, force));
        LOG.infof("aggregation run %s (%s%s) started for %s", runId, trigger, force ? ", force" : "", days);
        launcher.launch(runId);
        return new Started(runId, days.stream().map(LocalDate::toString).toList());
    }

    /**
     * Executes a created run. Only the invocation that claims it executes it: a second delivery of the same
     * invocation, or a run that already finished, is answered 409 and changes nothing.
     */
    public AggregationRun execute(String runId) {
        AggregationRun run = runs.get(runId).orElseThrow(() -> Refusal.unknown("run " + runId + " does not exist"));
        if (!"running".equals(run.status())) {
            throw Refusal.conflict("run " + runId + " already " + run.status());
        }
        Instant claimedAt = clock.instant();
        if (!runs.claim(runId, claimedAt, claimedAt.plus(timing.lease()))) {
            throw Refusal.conflict("run " + runId + " is being executed by another invocation");
        }
        Instant started = Timestamps.parse(run.startedAt());
        long runStart = System.nanoTime();
        for (AggregationRun.Day d : run.days()) {
            marks.markAggregationStarted(LocalDate.parse(d.date()), clock.instant());
        }
        sleep(timing.settle());
        List<AggregationRun.Day> done = new ArrayList<>(run.days());
        boolean failed = false;
        for (int i = 0; i < done.size(); i++) {
            LocalDate day = LocalDate.parse(done.get(i).date());
            AggregationRun.Day outcome = aggregateDay(runId, day, started, run.force(), i + 1, done.size());
            failed |= "failed".equals(outcome.status());
            done.set(i, outcome);
            runs.put(run.withDays("running", null, List.copyOf(done)));
        }
        AggregationRun finished = run.withDays(failed ? "failed" : "succeeded", Timestamps.format(clock.instant()), List.copyOf(done));
        runs.put(finished);
        long records = done.stream().mapToLong(d -> d.records().values().stream().mapToLong(Long::longValue).sum()).sum();
        emf.emit(Map.of("Trigger", run.trigger()), Emf.values(
                failed ? Emf.Metric.RunFailed : Emf.Metric.RunSucceeded, 1,
                Emf.Metric.RunDurationMs, (System.nanoTime() - runStart) / 1_000_000,
                Emf.Metric.RecordsAggregated, records));
        return finished;
    }

    /** One day of a run, under the day's lease. */
    private AggregationRun.Day aggregateDay(String runId, LocalDate day, Instant runStarted, boolean force, int ordinal, int of) {
        Instant now = clock.instant();
        DayMarksTable.Lease lease = marks.lease(day, runId, now, now.plus(timing.lease()));
        if (!lease.taken()) {
            String reason = "run " + lease.holder() + " is aggregating " + day + " (until " + Timestamps.format(lease.until())
                    + "); this run left the day to it";
            LOG.warnf("aggregation run %s: %s skipped: %s", runId, day, reason);
            return new AggregationRun.Day(day.toString(), "skipped", 0, Map.of(), 0, reason, null);
        }
        long t0 = System.nanoTime();
        Map<String, Long> archivedBefore = marks.get(day).map(DayMarksTable.DayMark::archivedRecords).orElse(null);
        try {
            var result = aggregation.aggregate(day, runId, clock.instant(), read -> {
                if (!force) {
                    refuseShrinking(day, read, archivedBefore);
                }
                marks.recordArchived(day, read);
            });
            marks.clearLate(day, runStarted);
            LOG.infof("aggregation run %s: %s done in %d ms (%d/%d): %d devices, records %s (archive held %s), %d archive objects", runId,
                    day, (System.nanoTime() - t0) / 1_000_000, ordinal, of, result.devices(), result.records(), archivedBefore,
                    result.archivedObjects());
            return new AggregationRun.Day(day.toString(), "succeeded", result.devices(), result.records(), result.archivedObjects(), null,
                    archivedBefore);
        } catch (RuntimeException e) {
            LOG.errorf(e, "aggregation run %s: %s failed", runId, day);
            return new AggregationRun.Day(day.toString(), "failed", 0, Map.of(), 0, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    archivedBefore);
        } finally {
            marks.release(day, runId);
        }
    }

    /** Raw rows only ever grow until they expire: a day that reads fewer records than it archived has lost some. */
    private static void refuseShrinking(LocalDate day, Map<String, Long> read, Map<String, Long> archivedBefore) {
        if (archivedBefore == null) {
            return;
        }
        List<String> fewer = new ArrayList<>();
        archivedBefore.forEach((kind, held) -> {
            long now = read.getOrDefault(kind, 0L);
            if (now < held) {
                fewer.add(kind + " " + now + " < " + held);
            }
        });
        if (!fewer.isEmpty()) {
            throw new ArchiveShrinkRefused(day + " would be archived with fewer records than its archive holds (" + String.join(", ", fewer)
                    + "); nothing was written. Start the run with \"force\": true to replace the archive anyway");
        }
    }

    /** A day's run found fewer records than the day's archive holds and was not forced. */
    static final class ArchiveShrinkRefused extends IllegalStateException {
        ArchiveShrinkRefused(String message) {
            super(message);
        }
    }

    /** What the nightly check found: whether {@code date} was aggregated successfully, and by which run. */
    public record NightlyCheck(String date, boolean succeeded, String runId) {
    }

    /**
     * The check at 01:00 in the reporting zone: has a run started since midnight aggregated the day that just
     * ended successfully? Emits {@code NightlyRunMissing} (1 = no), which the nightly alarm watches.
     */
    public NightlyCheck checkNightly() {
        Instant now = clock.instant();
        LocalDate today = calendar.dayOf(now);
        LocalDate day = today.minusDays(1);
        Instant since = calendar.startOf(today);
        String runId = null;
        String cursor = null;
        pages:
        do {
            var page = runs.list(50, cursor, "nightly-check");
            for (AggregationRun run : page.runs()) {
                if (Timestamps.parse(run.startedAt()).isBefore(since)) {
                    break pages; // newest first: every later run started before midnight
                }
                if (run.days().stream().anyMatch(d -> d.date().equals(day.toString()) && "succeeded".equals(d.status()))) {
                    runId = run.runId();
                    break pages;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        NightlyCheck result = new NightlyCheck(day.toString(), runId != null, runId);
        if (!result.succeeded()) {
            LOG.errorf("nightly check: no run since %s aggregated %s successfully", since, day);
        }
        emf.emit(Map.of(), Emf.values(Emf.Metric.NightlyRunMissing,
                result.succeeded() ? 0 : 1));
        return result;
    }

    public AggregationRun get(String runId) {
        return runs.get(runId).orElseThrow(() -> Refusal.unknown("run " + runId + " does not exist"));
    }

    public AggregationRunsTable.Page list(int limit, String cursor, String scope) {
        return runs.list(limit, cursor, scope);
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
