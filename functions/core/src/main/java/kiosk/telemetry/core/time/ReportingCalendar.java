package kiosk.telemetry.core.time;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The reporting calendar: a record's reporting day is the date of its own timestamp in the reporting zone
 * (default Asia/Seoul). Plain class, no framework: the day buckets of every table come from here.
 */
public final class ReportingCalendar {

    private final ZoneId zone;

    public ReportingCalendar(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    public LocalDate dayOf(Instant t) {
        return t.atZone(zone).toLocalDate();
    }

    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    public Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /**
     * The reporting days that can hold records of {@code [from, to)}, newest first, never reaching further back
     * than {@code earliest} (rows older than the raw retention are only in the archive).
     */
    public List<LocalDate> daysNewestFirst(Instant from, Instant to, Instant earliest) {
        Instant lower = from == null || from.isBefore(earliest) ? earliest : from;
        LocalDate first = dayOf(lower);
        LocalDate last = dayOf(to.minusMillis(1));
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = last; !d.isBefore(first); d = d.minusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /** DynamoDB TTL (epoch seconds) for a raw row of {@code day}: the end of the day plus the retention. */
    public long expiresAt(LocalDate day, Duration retention) {
        return endOf(day).plus(retention).getEpochSecond();
    }

    /**
     * The contract's {@code timeDimension} in the reporting zone: {@code year} and {@code month} are the calendar
     * ones of {@code date}, {@code isoWeek} the ISO-8601 week number, {@code dayOfWeek} ISO (Monday = 1).
     */
    public TimeDimension dimensionOf(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        LocalDate d = z.toLocalDate();
        DayOfWeek dow = d.getDayOfWeek();
        return new TimeDimension(d.toString(), d.getYear(), d.getMonthValue(), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                dow.getValue(), z.getHour());
    }

    public record TimeDimension(String date, int year, int month, int isoWeek, int dayOfWeek, int hour) {
    }
}
