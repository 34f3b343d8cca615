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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/insights/today}: the current reporting day so far, from the running totals the ingest functions
 * count up (never from the day's raw tables): the day's cells (a few Queries), those of the scope summed. Each
 * scope's answer is kept for {@code keep} (≤ 60 s), and {@code asOf} says when it was computed.
 */
public final class Today {

    private record Answer(ObjectNode body, Instant until) {
    }

    private final LiveTotalsTable totals;
    private final RegisteredDevices registered;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final Duration keep;
    private final Map<Rollups.Scope, Answer> answers = new ConcurrentHashMap<>();

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
        Answer a = answers.compute(scope, (k, kept) -> kept != null && now.isBefore(kept.until())
                && kept.body().get("date").asText().equals(day.toString()) ? kept : new Answer(compute(k, day, now), now.plus(keep)));
        return a.body().deepCopy();
    }

    private ObjectNode compute(Rollups.Scope scope, LocalDate day, Instant now) {
        SummaryTotals sum = new SummaryTotals();
        long reporting = 0;
        long active = 0;
        for (var item : totals.cells(day)) {
            LiveCell cell = LiveCell.of(item);
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
        out.put("asOf", Timestamps.format(now));
        return out;
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
