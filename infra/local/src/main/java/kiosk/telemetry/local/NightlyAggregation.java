package kiosk.telemetry.local;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.aggregate.RunService;

/** The local stack's copy of the template's schedules: the run at 00:05 in the reporting zone for the day that just ended, the check at 01:00. */
@ApplicationScoped
public class NightlyAggregation {

    private final RunService runs;

    public NightlyAggregation(RunService runs) {
        this.runs = runs;
    }

    @Scheduled(cron = "0 5 0 * * ?", timeZone = "${telemetry.reporting-zone}", identity = "nightly-aggregation")
    void run() {
        runs.startScheduled();
    }

    /** The template's 01:00 check: logs an error and emits NightlyRunMissing=1 if the night's run did not succeed. */
    @Scheduled(cron = "0 0 1 * * ?", timeZone = "${telemetry.reporting-zone}", identity = "nightly-check")
    void check() {
        runs.checkNightly();
    }
}
