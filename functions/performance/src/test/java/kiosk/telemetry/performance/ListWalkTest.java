package kiosk.telemetry.performance;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.ListWalker.Filter;
import kiosk.telemetry.engines.ListWalker.Route;
import kiosk.telemetry.engines.ListWalker;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * {@code GET /api/performance} walked to its end at limits 1, 2, 7 and the largest, over timings of three kiosks
 * on three days stored through the table class, on engines of its own.
 */
@QuarkusTest
// a short list look-back: a walk without from reaches its end after a few empty days, not 35 days of index shards
@QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "telemetry.limits.default-list-lookback", value = "P5D"))
class ListWalkTest {

    private static final List<String> TYPES = List.of("capture", "print", "app_start");

    @Inject
    TimingsTable timings;

    @Inject
    ReportingCalendar calendar;

    @Inject
    TelemetryConfig config;

    @Inject
    Clock clock;

    private ListWalker walker() {
        return new ListWalker((path, query) -> {
            Response r = given().header("Authorization", "Bearer test-admin-token").queryParams(query).get(path);
            r.then().statusCode(200);
            return new ListWalker.Page(r.jsonPath().getList("items"), r.jsonPath().getString("nextCursor"));
        }, config.limits().maxPageSize());
    }

    @Test
    void timings_walkToTheEnd_newestFirst_withEveryFilter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> kiosks = List.of("walk-" + run + "-a", "walk-" + run + "-b", "walk-" + run + "-c");
        LocalDate today = calendar.dayOf(clock.instant());
        List<LocalDate> days = List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1));
        List<Map<String, Object>> seed = new ArrayList<>();
        int n = 0;
        for (LocalDate day : days) {
            for (int k = 0; k < kiosks.size(); k++) {
                String sessionId = UUID.randomUUID().toString();
                for (int j = 0; j < 2; j++) {
                    Instant t = at(day, k, j);
                    String id = UUID.randomUUID().toString();
                    String type = TYPES.get(n % TYPES.size());
                    boolean success = n++ % 4 != 0;
                    timings.putIfAbsent(new Metric(id, "app_start".equals(type) ? null : sessionId, kiosks.get(k), null, null, "KR", type, t,
                            1_000 + n, success, null, null, t));
                    seed.add(Map.of("metricId", id, "timestamp", Timestamps.format(t), "deviceId", kiosks.get(k),
                            "metricType", type, "success", success));
                }
            }
        }
        Route route = Route.of("/api/performance", "metricId", ListWalker.descending("timestamp", "metricId"));
        walker().walkEach(route, seed, List.of(
                Filter.none(),
                Filter.between("timestamp", at(days.get(0), 1, 1), at(days.get(2), 1, 1)),
                Filter.between("timestamp", calendar.startOf(days.get(1)), null),
                Filter.between("timestamp", null, calendar.startOf(days.get(2))),
                Filter.equal("deviceId", kiosks.get(1)),
                Filter.equal("metricType", "capture"),
                Filter.equal("success", false),
                Filter.equal("deviceId", kiosks.get(0)).and(Filter.equal("metricType", "print")).and(Filter.equal("success", true))));
    }

    private Instant at(LocalDate day, int k, int j) {
        // a's and c's timings share their times, so ties are broken by id
        return day.atTime(LocalTime.of(9 + 3 * j, k == 2 ? 0 : k)).atZone(calendar.zone()).toInstant();
    }
}
