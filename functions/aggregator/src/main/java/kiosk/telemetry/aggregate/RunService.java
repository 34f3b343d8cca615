package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.InputRules;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import org.jboss.logging.Logger;

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
 * at most 31 days, not in the future); every run also takes the days marked late before it started. A run
 * marks its days as being aggregated, waits until no ingestion process can still believe otherwise, then
 * aggregates day by day, recording each day's outcome and figures; any failed day fails the run.
 */
public final class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    public record Started(String runId, List<String> dates) {
    }

    private final AggregationRunsTable runs;
    private final DayMarksTable marks;
    private final DayAggregation aggregation;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Duration settle;
    private final int maxDays;
    private final kiosk.telemetry.core.metrics.Emf emf;
    private RunLauncher launcher;

    public RunService(AggregationRunsTable runs, DayMarksTable marks, DayAggregation aggregation, ReportingCalendar calendar,
                      Clock clock, Duration settle, int maxDays, kiosk.telemetry.core.metrics.Emf emf) {
        this.emf = emf;
        this.runs = runs;
        this.marks = marks;
        this.aggregation = aggregation;
        this.calendar = calendar;
        this.clock = clock;
        this.settle = settle;
        this.maxDays = maxDays;
    }

    public void launchWith(RunLauncher launcher) {
        this.launcher = launcher;
    }

    /** {@code {"date"}} or {@code {"from","to"}} (inclusive), validated as the contract says. */
    public Started startManual(ObjectNode body) {
        Instant now = clock.instant();
        FieldReader r = FieldReader.of(body, new InputRules(now, Duration.ZERO, Duration.ZERO, 64, 64));
        LocalDate date = r.date("date", false);
        LocalDate from = r.date("from", false);
        LocalDate to = r.date("to", false);
        r.throwIfInvalid();
        if (date != null) {
            if (from != null || to != null) {
                throw ApiException.invalidField("date", "give either date, or from and to");
            }
            from = date;
            to = date;
        } else if (from == null || to == null) {
            throw ApiException.invalidField(from == null ? "from" : "to", "is required (or give date)");
        }
        if (to.isBefore(from)) {
            throw ApiException.invalidField("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > maxDays) {
            throw ApiException.invalidField("to", "a run covers at most " + maxDays + " days");
        }
        if (to.isAfter(calendar.dayOf(now))) {
            throw ApiException.invalidField("to", "must not be in the future");
        }
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.add(d);
        }
        return start("manual", days);
    }

    /** The nightly run: the reporting day that just ended. */
    public Started startScheduled() {
        return start("schedule", List.of(calendar.dayOf(clock.instant()).minusDays(1)));
    }

    private Started start(String trigger, List<LocalDate> requested) {
        TreeSet<LocalDate> days = new TreeSet<>(requested);
        LocalDate today = calendar.dayOf(clock.instant());
        marks.lateDays().stream().filter(d -> d.isBefore(today)).forEach(days::add);
        String runId = UUID.randomUUID().toString();
        List<AggregationRun.Day> pending = days.stream()
                .map(d -> new AggregationRun.Day(d.toString(), "pending", 0, Map.of(), 0, null)).toList();
        runs.put(new AggregationRun(runId, trigger, "running", Timestamps.format(clock.instant()), null, pending));
        LOG.infof("aggregation run %s (%s) started for %s", runId, trigger, days);
        launcher.launch(runId);
        return new Started(runId, days.stream().map(LocalDate::toString).toList());
    }

    /** Executes a created run; a run that already finished is not run twice. */
    public AggregationRun execute(String runId) {
        AggregationRun run = runs.get(runId).orElseThrow(() -> ApiException.notFound("run " + runId + " does not exist"));
        if (!"running".equals(run.status())) {
            throw ApiException.conflict("run " + runId + " already " + run.status());
        }
        Instant started = Timestamps.parse(run.startedAt());
        long runStart = System.nanoTime();
        for (AggregationRun.Day d : run.days()) {
            marks.markAggregationStarted(LocalDate.parse(d.date()), clock.instant());
        }
        sleep(settle);
        List<AggregationRun.Day> done = new ArrayList<>(run.days());
        boolean failed = false;
        for (int i = 0; i < done.size(); i++) {
            LocalDate day = LocalDate.parse(done.get(i).date());
            long t0 = System.nanoTime();
            try {
                var result = aggregation.aggregate(day, runId, clock.instant());
                done.set(i, new AggregationRun.Day(day.toString(), "succeeded", result.devices(), result.records(), result.archivedObjects(), null));
                marks.clearLate(day, started);
                LOG.infof("aggregation run %s: %s done in %d ms (%d/%d): %d devices, records %s, %d archive objects", runId, day,
                        (System.nanoTime() - t0) / 1_000_000, i + 1, done.size(), result.devices(), result.records(), result.archivedObjects());
            } catch (RuntimeException e) {
                failed = true;
                done.set(i, new AggregationRun.Day(day.toString(), "failed", 0, Map.of(), 0,
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
                LOG.errorf(e, "aggregation run %s: %s failed", runId, day);
            }
            runs.put(new AggregationRun(runId, run.trigger(), "running", run.startedAt(), null, List.copyOf(done)));
        }
        AggregationRun finished = new AggregationRun(runId, run.trigger(), failed ? "failed" : "succeeded", run.startedAt(),
                Timestamps.format(clock.instant()), List.copyOf(done));
        runs.put(finished);
        long records = done.stream().mapToLong(d -> d.records().values().stream().mapToLong(Long::longValue).sum()).sum();
        emf.emit(Map.of("Trigger", run.trigger()), kiosk.telemetry.core.metrics.Emf.values(
                failed ? kiosk.telemetry.core.metrics.Emf.Metric.RunFailed : kiosk.telemetry.core.metrics.Emf.Metric.RunSucceeded, 1,
                kiosk.telemetry.core.metrics.Emf.Metric.RunDurationMs, (System.nanoTime() - runStart) / 1_000_000,
                kiosk.telemetry.core.metrics.Emf.Metric.RecordsAggregated, records));
        return finished;
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
        emf.emit(Map.of(), kiosk.telemetry.core.metrics.Emf.values(kiosk.telemetry.core.metrics.Emf.Metric.NightlyRunMissing,
                result.succeeded() ? 0 : 1));
        return result;
    }

    public AggregationRun get(String runId) {
        return runs.get(runId).orElseThrow(() -> ApiException.notFound("run " + runId + " does not exist"));
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
