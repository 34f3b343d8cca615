package kiosk.telemetry.core.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportingCalendarTest {

    private final ReportingCalendar seoul = new ReportingCalendar(ZoneId.of("Asia/Seoul"));

    @Test
    void dayAndDimension_areInTheReportingZone() {
        Instant t = Instant.parse("2024-12-29T23:30:00Z"); // 2024-12-30 08:30 KST, a Monday in ISO week 1 of 2025
        assertEquals(LocalDate.parse("2024-12-30"), seoul.dayOf(t));
        assertEquals(new ReportingCalendar.TimeDimension("2024-12-30", 2024, 12, 1, 1, 8), seoul.dimensionOf(t));
    }

    @Test
    void dayBoundsAndTtl() {
        LocalDate d = LocalDate.parse("2025-01-19");
        assertEquals(Instant.parse("2025-01-18T15:00:00Z"), seoul.startOf(d));
        assertEquals(Instant.parse("2025-01-19T15:00:00Z"), seoul.endOf(d));
        assertEquals(Instant.parse("2025-02-23T15:00:00Z").getEpochSecond(), seoul.expiresAt(d, Duration.ofDays(35)));
    }

    @Test
    void daysNewestFirst_coversTheHalfOpenRange_andStopsAtTheEarliestDay() {
        List<LocalDate> days = seoul.daysNewestFirst(Instant.parse("2025-01-18T15:00:00Z"), Instant.parse("2025-01-20T15:00:00Z"),
                Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(List.of(LocalDate.parse("2025-01-20"), LocalDate.parse("2025-01-19")), days);
        List<LocalDate> clamped = seoul.daysNewestFirst(null, Instant.parse("2025-01-20T15:00:00Z"), Instant.parse("2025-01-19T15:00:00Z"));
        assertEquals(List.of(LocalDate.parse("2025-01-20")), clamped);
    }
}
