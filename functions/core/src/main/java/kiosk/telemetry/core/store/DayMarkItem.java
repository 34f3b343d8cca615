package kiosk.telemetry.core.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A reporting day's marks (DayMarks table), key {@code date}: when aggregation of it first started, whether records
 * arrived after that ({@code lateSince}, {@code lateLast}, {@code lateWrites}; {@code lateKind} only while the day
 * is late, so the sparse {@code late-index} lists exactly the late days), which run holds the day
 * ({@code leaseRun} until {@code leaseUntil}) and how many records of each kind its published archive holds.
 */
public final class DayMarkItem {

    public static final Attribute<LocalDate> DATE = Attribute.date("date");
    public static final Attribute<Instant> AGGREGATION_STARTED_AT = Attribute.instant("aggregationStartedAt");
    public static final Attribute<Instant> LATE_SINCE = Attribute.instant("lateSince");
    public static final Attribute<Instant> LATE_LAST = Attribute.instant("lateLast");
    public static final Attribute<Long> LATE_WRITES = Attribute.number("lateWrites");
    public static final Attribute<String> LATE_KIND = Attribute.text("lateKind");
    /** The one {@code lateKind} value. */
    public static final String LATE = "late";
    public static final Attribute<String> LEASE_RUN = Attribute.text("leaseRun");
    public static final Attribute<Instant> LEASE_UNTIL = Attribute.instant("leaseUntil");
    public static final Attribute<Map<String, Long>> ARCHIVED_RECORDS = Attribute.counts("archivedRecords");

    public static final Index LATE_DAYS = new Index("late-index", LATE_KIND, DATE);

    private DayMarkItem() {
    }
}
