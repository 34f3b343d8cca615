package kiosk.telemetry.aggregate.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.live.LiveCell;
import kiosk.telemetry.core.summary.SummaryTotals;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/insights/today}: the current reporting day so far, from the running totals the ingest functions
 * count up (never from the day's raw tables): the day's cells, read with a few Queries and kept for {@code keep}
 * (≤ 60 s) for every scope; each answer sums the scope's cells, and {@code asOf} says when they were read.
 */
public final class Today {

    private record Cells(LocalDate day, List<LiveCell> cells, Instant readAt, Instant until) {
    }

    private final LiveTotalsTable totals;
    private final RegisteredDevices registered;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Duration keep;
    private volatile Cells kept;

    public Today(LiveTotalsTable totals, RegisteredDevices registered, ReportingCalendar calendar, Clock clock, Duration keep) {
        this.totals = totals;
        this.registered = registered;
        this.calendar = calendar;
        this.clock = clock;
        this.keep = keep;
    }

    /** The scope's figures of the current reporting day: {@code devices}, {@code sessions}, {@code sales}, {@code errors}, {@code asOf}. */
    public ObjectNode of(Rollups.Scope scope) {
        Instant now = clock.instant();
        LocalDate day = calendar.dayOf(now);
        Cells cells = cells(day, now);
        SummaryTotals sum = new SummaryTotals();
        long reporting = 0;
        long active = 0;
        for (LiveCell cell : cells.cells()) {
            if (in(scope, cell)) {
                sum.addDeviceSummary(cell.figures());
                reporting += cell.reporting();
                active += cell.active();
            }
        }
        JsonNode figures = sum.toJson();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("date", day.toString());
        out.set("scope", scope.json());
        out.putObject("devices").put("reporting", reporting).put("active", active).put("registered", registered.in(scope));
        InsightsService.sessions(out, sum, figures);
        InsightsService.salesAndErrors(out, sum, figures);
        out.put("asOf", Timestamps.format(cells.readAt()));
        return out;
    }

    /** The day's cells, read once for every scope and kept for {@code keep}. */
    private synchronized Cells cells(LocalDate day, Instant now) {
        Cells c = kept;
        if (c == null || !c.day().equals(day) || !now.isBefore(c.until())) {
            c = new Cells(day, totals.cells(day).stream().map(LiveCell::of).toList(), now, now.plus(keep));
            kept = c;
        }
        return c;
    }

    private static boolean in(Rollups.Scope scope, LiveCell cell) {
        return switch (scope.type()) {
            case fleet -> true;
            case store -> scope.id().equals(cell.storeId());
            case group -> scope.id().equals(cell.groupId());
            case country -> scope.id().equals(cell.countryCode());
        };
    }
}
