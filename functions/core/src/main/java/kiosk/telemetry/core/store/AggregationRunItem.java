package kiosk.telemetry.core.store;

import java.time.Instant;

/**
 * An aggregation run (AggregationRuns table): key {@code runId}; {@code runs-index} ({@code kind} = "run",
 * {@code startedAt}) lists runs newest first. The run's state is one JSON attribute, {@code body}, updated as its
 * days progress; {@code claimedUntil} says that an invocation is executing it, {@code finishedAt} that it is done.
 */
public final class AggregationRunItem {

    public static final Attribute<String> RUN_ID = Attribute.text("runId");
    public static final Attribute<String> KIND = Attribute.text("kind");
    /** The one {@code kind} value. */
    public static final String RUN = "run";
    public static final Attribute<String> STARTED_AT = Attribute.text("startedAt");
    public static final Attribute<String> BODY = Attribute.text("body");
    public static final Attribute<Instant> CLAIMED_UNTIL = Attribute.instant("claimedUntil");
    public static final Attribute<String> FINISHED_AT = Attribute.text("finishedAt");

    public static final Index RUNS = new Index("runs-index", KIND, STARTED_AT);

    private AggregationRunItem() {
    }
}
