package kiosk.telemetry.aggregate;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** An aggregation run as the API shows it: who started it, its state, and one entry per day it covers. */
@RegisterForReflection
public record AggregationRun(String runId, String trigger, String status, String startedAt, String finishedAt, List<Day> days) {

    @RegisterForReflection
    public record Day(String date, String status, int devices, Map<String, Long> records, int archivedObjects, String error) {
    }
}
