package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks a reporting day for re-aggregation before records of it are written, once its aggregation started
 * (write-ahead): every valid record of an older, already aggregated day marks the day, whether it then turns out
 * new or a duplicate. So the mark survives every retry: a record whose write landed but whose answer was lost,
 * or whose request failed after the write, is sent again, and the resend marks the day again. If the mark cannot
 * be written, the storage exception propagates and nothing is written.
 * <p>
 * Free on the normal path: records of the current reporting day (or later) never cause a read, because a day
 * is only aggregated after it ends; an older day costs one cached read per process per minute, and one write per
 * request only when it really was aggregated. Resending old records re-aggregates their day once more (idempotent).
 * <p>
 * The aggregator must wait {@link #CACHE_TTL} after marking a day started before it reads it, so no process
 * can still hold a "not aggregated" answer for a record the run will not see.
 */
@ApplicationScoped
public class LateDataMarks {

    public static final Duration CACHE_TTL = Duration.ofSeconds(60);

    private final DayMarksTable marks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Map<LocalDate, Cached> aggregated = new ConcurrentHashMap<>();

    public LateDataMarks(DayMarksTable marks, ReportingCalendar calendar, Clock clock) {
        this.marks = marks;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** Call before writing records: {@code itemsPerDay} records (new or not) per reporting day are about to be written. */
    public void beforeWriting(Map<LocalDate, Integer> itemsPerDay) {
        Instant now = clock.instant();
        LocalDate today = calendar.dayOf(now);
        itemsPerDay.forEach((day, items) -> {
            if (items <= 0 || !day.isBefore(today)) {
                return;
            }
            Cached c = aggregated.get(day);
            if (c == null || now.isAfter(c.until())) {
                c = new Cached(marks.get(day).map(DayMarksTable.DayMark::aggregated).orElse(false), now.plus(CACHE_TTL));
                aggregated.put(day, c);
            }
            if (c.aggregated()) {
                marks.markLate(day, now, items);
            }
        });
    }

    public void beforeWriting(LocalDate day) {
        beforeWriting(Map.of(day, 1));
    }

    private record Cached(boolean aggregated, Instant until) {
    }
}
