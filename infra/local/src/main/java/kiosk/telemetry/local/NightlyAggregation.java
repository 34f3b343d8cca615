package kiosk.telemetry.local;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.aggregate.RunService;

/** The local stack's copy of the template's schedule: 00:05 in the reporting zone, for the day that just ended. */
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
}
