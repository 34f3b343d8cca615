package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * An aggregation run as the API shows it: who started it, its state, and one entry per day it covers.
 * {@code force}: the operator allowed the run to publish a day with fewer records than its archive held.
 */
@RegisterForReflection
public record AggregationRun(String runId, String trigger, String status, String startedAt, String finishedAt, List<Day> days,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean force) {

    public AggregationRun withDays(String status, String finishedAt, List<Day> days) {
        return new AggregationRun(runId, trigger, status, startedAt, finishedAt, days, force);
    }

    /**
     * One day of a run. {@code status}: pending, succeeded, failed or skipped (another run held the day; the
     * reason in {@code error}). {@code archivedBefore}: records per kind the day's archive held before this run
     * published it (absent when no run had recorded them).
     */
    @RegisterForReflection
    public record Day(String date, String status, int devices, Map<String, Long> records, int archivedObjects, String error,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> archivedBefore) {

        static Day pending(String date) {
            return new Day(date, "pending", 0, Map.of(), 0, null, null);
        }
    }
}
