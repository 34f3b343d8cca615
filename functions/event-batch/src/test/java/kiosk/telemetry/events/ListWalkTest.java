package kiosk.telemetry.events;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The event function's list routes walked to their end at limits 1, 2, 7 and the largest: events of three
 * kiosks on three days, and one session's events by sequence number, stored through the table class, on
 * engines of its own.
 */
@QuarkusTest
// a short list look-back: a walk without from reaches its end after a few empty days, not 35 days of index shards
@QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "telemetry.limits.default-list-lookback", value = "P5D"))
class ListWalkTest {

    private static final List<String> TYPES = List.of("tap", "scroll", "screen_enter");

    @Inject
    EventsTable events;

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

    private Instant at(LocalDate day, int k, int seq) {
        // a's and c's events share their times, so ties are broken by key
        return day.atTime(LocalTime.of(9 + 3 * seq, k == 2 ? 0 : k)).atZone(calendar.zone()).toInstant();
    }

    private Map<String, Object> put(String sessionId, long seq, String deviceId, String type, Instant t) {
        events.putIfAbsent(new Event(sessionId, seq, deviceId, null, null, "KR", type, t, null, null, t));
        return Map.of("sessionId", sessionId, "sequenceNo", seq, "timestamp", Timestamps.format(t), "deviceId", deviceId,
                "eventType", type);
    }

    @Test
    void events_andASessionsEvents_walkToTheEnd_inTheirOrder_withEveryFilter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> kiosks = List.of("walk-" + run + "-a", "walk-" + run + "-b", "walk-" + run + "-c");
        LocalDate today = calendar.dayOf(clock.instant());
        List<LocalDate> days = List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1));
        List<Map<String, Object>> seed = new ArrayList<>();
        int n = 0;
        for (LocalDate day : days) {
            for (int k = 0; k < kiosks.size(); k++) {
                String sessionId = UUID.randomUUID().toString();
                for (int seq = 0; seq < 2; seq++) {
                    seed.add(put(sessionId, seq, kiosks.get(k), TYPES.get(n++ % TYPES.size()), at(day, k, seq)));
                }
            }
        }
        // one long session of kiosk a on the middle day: numbers past 9 and out of time order, so its own
        // route's order is the number's, not its text's or the time's
        String longSession = UUID.randomUUID().toString();
        List<Map<String, Object>> sessionSeed = new ArrayList<>();
        for (int seq : new int[]{0, 1, 2, 5, 8, 9, 10, 11, 20, 100}) {
            Map<String, Object> row = put(longSession, seq, kiosks.get(0), "tap", at(days.get(1), 0, 0).plusSeconds(600 - seq));
            seed.add(row);
            sessionSeed.add(row);
        }

        Route route = new Route("/api/events", row -> row.get("sessionId") + "#" + row.get("sequenceNo"),
                ListWalker.descending("timestamp", "sessionId", "sequenceNo"));
        walker().walkEach(route, seed, List.of(
                Filter.none(),
                Filter.between("timestamp", at(days.get(0), 1, 1), at(days.get(2), 1, 1)),
                Filter.between("timestamp", calendar.startOf(days.get(1)), null),
                Filter.between("timestamp", null, calendar.startOf(days.get(2))),
                Filter.equal("deviceId", kiosks.get(0)),
                Filter.equal("eventType", "scroll"),
                Filter.equal("deviceId", kiosks.get(2)).and(Filter.equal("eventType", "tap"))
                        .and(Filter.between("timestamp", null, calendar.startOf(days.get(2))))));

        Route ofSession = new Route("/api/events/session/" + longSession, row -> row.get("sessionId") + "#" + row.get("sequenceNo"),
                ListWalker.ascendingNumber("sequenceNo"));
        walker().walk(ofSession, sessionSeed, Filter.none());
    }
}
