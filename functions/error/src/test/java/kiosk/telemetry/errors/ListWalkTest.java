package kiosk.telemetry.errors;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.ListWalker;
import kiosk.telemetry.engines.ListWalker.Filter;
import kiosk.telemetry.engines.ListWalker.Route;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The error function's list routes walked to their end at limits 1, 2, 7 and the largest: errors of three kiosks
 * on three days in groups, stored through the error store, some resolved, on engines of its own.
 */
@QuarkusTest
// a short list look-back: a walk without from reaches its end after a few empty days, not 35 days of index shards
@QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "telemetry.limits.default-list-lookback", value = "P5D"))
class ListWalkTest {

    private static final List<String> SEVERITIES = List.of("error", "warning", "fatal", "info");
    private static final List<String> CATEGORIES = List.of("hardware", "software", "network");

    @Inject
    ErrorStore store;

    @Inject
    ErrorsTable errors;

    @Inject
    ErrorGroupsTable groups;

    @Inject
    ReportingCalendar calendar;

    @Inject
    Clock clock;

    @Inject
    TelemetryConfig config;

    private ListWalker walker() {
        return new ListWalker((path, query) -> {
            Response r = given().header("Authorization", "Bearer test-admin-token").queryParams(query).get(path);
            r.then().statusCode(200);
            return new ListWalker.Page(r.jsonPath().getList("items"), r.jsonPath().getString("nextCursor"));
        }, config.limits().maxPageSize());
    }

    @Test
    void errorsAndGroups_walkToTheEnd_newestFirst_withEveryFilter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> kiosks = List.of("walk-" + run + "-a", "walk-" + run + "-b", "walk-" + run + "-c");
        LocalDate today = calendar.dayOf(clock.instant());
        List<LocalDate> days = List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1));
        List<Map<String, Object>> errorSeed = new ArrayList<>();
        Map<String, Map<String, Object>> groupSeed = new TreeMap<>();
        Map<String, List<String>> groupErrors = new HashMap<>();
        int n = 0;
        for (int d = 0; d < days.size(); d++) {
            for (int k = 0; k < kiosks.size(); k++) {
                for (int j = 0; j < 2; j++) {
                    Instant t = at(days.get(d), k, j);
                    int g = (k * 3 + j + d) % 9;
                    String category = CATEGORIES.get(g % CATEGORIES.size());
                    String code = "WALK_" + run + "_" + g;
                    String message = "walk " + run + " group " + g;
                    String fingerprint = Fingerprints.of(category, code, message, null);
                    String id = UUID.randomUUID().toString();
                    String severity = SEVERITIES.get(n++ % SEVERITIES.size());
                    ErrorReport e = new ErrorReport(id, null, kiosks.get(k), null, null, "KR", t, severity, category, code,
                            message, null, null, null, fingerprint, t);
                    store.record(e);
                    store.completeGroup(e);
                    Map<String, Object> row = new HashMap<>(Map.of("errorId", id, "timestamp", Timestamps.format(t),
                            "deviceId", kiosks.get(k), "severity", severity, "category", category, "resolved", false));
                    errorSeed.add(row);
                    groupErrors.computeIfAbsent(fingerprint, f -> new ArrayList<>()).add(id);
                    Map<String, Object> group = groupSeed.computeIfAbsent(fingerprint, f -> new HashMap<>(Map.of(
                            "fingerprint", f, "category", category, "status", "open",
                            "firstSeen", Timestamps.format(t), "lastSeen", Timestamps.format(t))));
                    if (Timestamps.format(t).compareTo((String) group.get("lastSeen")) > 0) {
                        group.put("lastSeen", Timestamps.format(t));
                    }
                    if (Timestamps.format(t).compareTo((String) group.get("firstSeen")) < 0) {
                        group.put("firstSeen", Timestamps.format(t));
                    }
                }
            }
        }
        // one group resolved with its errors, and one error of another group on its own
        Instant now = clock.instant();
        List<String> fingerprints = new ArrayList<>(groupSeed.keySet());
        String resolvedGroup = fingerprints.get(0);
        groups.resolve(resolvedGroup, "walker", null, now);
        groupSeed.get(resolvedGroup).put("status", "resolved");
        List<String> resolvedIds = new ArrayList<>(groupErrors.get(resolvedGroup));
        resolvedIds.add(groupErrors.get(fingerprints.get(1)).get(0));
        for (String id : resolvedIds) {
            errors.resolve(id, "walker", null, now);
        }
        errorSeed.stream().filter(row -> resolvedIds.contains(row.get("errorId"))).forEach(row -> row.put("resolved", true));

        Route errorRoute = Route.of("/api/errors", "errorId", ListWalker.descending("timestamp", "errorId"));
        walker().walkEach(errorRoute, errorSeed, List.of(
                Filter.none(),
                Filter.between("timestamp", at(days.get(0), 1, 1), at(days.get(2), 1, 1)),
                Filter.between("timestamp", calendar.startOf(days.get(1)), null),
                Filter.between("timestamp", null, calendar.startOf(days.get(2))),
                Filter.equal("deviceId", kiosks.get(0)),
                Filter.equal("severity", "warning"),
                Filter.equal("category", "network"),
                Filter.equal("resolved", true),
                Filter.equal("deviceId", kiosks.get(2)).and(Filter.equal("resolved", false)).and(Filter.equal("category", "hardware"))));

        // groups seen in [from, to): lastSeen >= from and firstSeen < to, most recently seen first
        Route groupRoute = Route.of("/api/errors/groups", "fingerprint", ListWalker.descending("lastSeen"));
        Instant from = at(days.get(0), 2, 0);
        Instant to = at(days.get(2), 0, 1);
        walker().walkEach(groupRoute, new ArrayList<>(groupSeed.values()), List.of(
                Filter.none(),
                seen(from, to),
                seen(from, null),
                seen(null, to),
                Filter.equal("category", "software"),
                Filter.of(Map.of("resolved", "true"), row -> "resolved".equals(row.get("status"))),
                seen(from, null).and(Filter.of(Map.of("resolved", "false"), row -> !"resolved".equals(row.get("status"))))));
    }

    private Instant at(LocalDate day, int k, int j) {
        return day.atTime(LocalTime.of(9 + 3 * j, k)).atZone(calendar.zone()).toInstant();
    }

    private static Filter seen(Instant from, Instant to) {
        Map<String, String> params = new HashMap<>();
        if (from != null) {
            params.put("from", from.toString());
        }
        if (to != null) {
            params.put("to", to.toString());
        }
        return Filter.of(params, row -> (from == null || !Instant.parse((String) row.get("lastSeen")).isBefore(from))
                && (to == null || Instant.parse((String) row.get("firstSeen")).isBefore(to)));
    }
}
