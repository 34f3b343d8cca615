package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Reading summaries: one (date, device), or a list by date or date range with dimension filters. */
@ApplicationScoped
public class DailySummaryService {

    private static final int MAX_RANGE_DAYS = 366;

    private final DailySummariesTable table;
    private final DailyRollupsTable rollups;
    private final IndexPager pager;
    private final TelemetryConfig config;

    public DailySummaryService(DailySummariesTable table, DailyRollupsTable rollups, IndexPager pager, TelemetryConfig config) {
        this.table = table;
        this.rollups = rollups;
        this.pager = pager;
        this.config = config;
    }

    public JsonNode get(String date, String deviceId) {
        return table.get(parse("date", date), deviceId)
                .orElseThrow(() -> Refusal.unknown("no summary for " + deviceId + " on " + date));
    }

    /** The rollup of one date and scope: at most one of store, group and country; none is the fleet. */
    public JsonNode rollup(String date, String storeId, String groupId, String countryCode) {
        LocalDate d = parse("date", date);
        Rollups.Scope found = Rollups.Scope.of(storeId, groupId, countryCode);
        return rollups.get(d, found).orElseThrow(() -> Refusal.unknown("no rollup for " + found.key() + " on " + date));
    }

    public Page<JsonNode> list(String date, String from, String to, String deviceId, String storeId, String groupId,
                               String countryCode, String limit, String cursor) {
        LocalDate f;
        LocalDate t;
        if (date != null && !date.isEmpty()) {
            f = parse("date", date);
            t = f;
        } else if (from != null && to != null && !from.isEmpty() && !to.isEmpty()) {
            f = parse("from", from);
            t = parse("to", to);
            if (t.isBefore(f)) {
                throw Refusal.invalid("to", "must not be before from");
            }
            if (ChronoUnit.DAYS.between(f, t) >= MAX_RANGE_DAYS) {
                throw Refusal.invalid("to", "a range covers at most " + MAX_RANGE_DAYS + " days");
            }
        } else {
            throw Refusal.invalid("date", "give date, or from and to (YYYY-MM-DD)");
        }
        var l = config.limits();
        ListQuery q = ListQuery.on("daily-summary|" + f + "|" + t).filter("deviceId", deviceId).filter("storeId", storeId)
                .filter("groupId", groupId).filter("countryCode", countryCode)
                .limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build();
        var page = table.list(pager, f, t, q.filter("deviceId"), q.filter("storeId"), q.filter("groupId"), q.filter("countryCode"),
                q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(DailySummariesTable::summaryOf).toList(), page.nextCursor());
    }

    private static LocalDate parse(String field, String value) {
        try {
            if (value == null || value.length() != 10) {
                throw new DateTimeParseException("length", String.valueOf(value), 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(field, "must be a date YYYY-MM-DD");
        }
    }
}
