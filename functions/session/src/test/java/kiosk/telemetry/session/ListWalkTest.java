package kiosk.telemetry.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.ListWalker;
import kiosk.telemetry.engines.ListWalker.Filter;
import kiosk.telemetry.engines.ListWalker.Route;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.session.sale.Sale;
import kiosk.telemetry.session.sale.SalesTable;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static kiosk.telemetry.session.Api.operator;

/**
 * The session function's list routes (sessions, sales, devices) walked to their end at limits 1, 2, 7 and the
 * largest, over three days of three devices' records stored through the table classes, on engines of its own.
 */
@QuarkusTest
// a short list look-back: a walk without from reaches its end after a few empty days, not 35 days of index shards
@QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "telemetry.limits.default-list-lookback", value = "P5D"))
class ListWalkTest {

    private static final List<String> STATUSES = List.of("started", "completed", "abandoned");

    @Inject
    SessionsTable sessions;

    @Inject
    SalesTable sales;

    @Inject
    DevicesTable devices;

    @Inject
    ReportingCalendar calendar;

    @Inject
    Clock clock;

    @Inject
    TelemetryConfig config;

    /** Three seeded kiosks: id, store, group, country. */
    private record Kiosk(String id, String store, String group, String country) {
    }

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Kiosk a = new Kiosk("walk-" + run + "-a", "store-" + run + "-1", "group-" + run + "-1", "KR");
    private final Kiosk b = new Kiosk("walk-" + run + "-b", "store-" + run + "-1", "group-" + run + "-2", "KR");
    private final Kiosk c = new Kiosk("walk-" + run + "-c", "store-" + run + "-2", "group-" + run + "-2", "JP");
    /** The three reporting days before today. */
    private List<LocalDate> days;

    @BeforeEach
    void pickDays() {
        LocalDate today = calendar.dayOf(clock.instant());
        days = List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1));
    }

    private ListWalker walker() {
        return new ListWalker((path, query) -> {
            Response r = operator().queryParams(query).get(path);
            r.then().statusCode(200);
            return new ListWalker.Page(r.jsonPath().getList("items"), r.jsonPath().getString("nextCursor"));
        }, config.limits().maxPageSize());
    }

    /** Record {@code j} of kiosk {@code k} on a day: a and c share their times, so ties are broken by id. */
    private Instant at(LocalDate day, int k, int j) {
        int minute = k == 2 ? 0 : k;
        return day.atTime(LocalTime.of(9 + 3 * j, minute)).atZone(calendar.zone()).toInstant();
    }

    @Test
    void sessions_walkToTheEnd_newestFirst_withEveryFilter() {
        List<Kiosk> kiosks = List.of(a, b, c);
        List<Map<String, Object>> seed = new ArrayList<>();
        int n = 0;
        for (LocalDate day : days) {
            for (int k = 0; k < kiosks.size(); k++) {
                for (int j = 0; j < 2; j++) {
                    Kiosk kiosk = kiosks.get(k);
                    String id = UUID.randomUUID().toString();
                    Instant startedAt = at(day, k, j);
                    String status = STATUSES.get(n++ % STATUSES.size());
                    sessions.create(new Session(id, kiosk.id(), kiosk.store(), kiosk.group(), kiosk.country(), startedAt, "1.0",
                            null, status, 0, null, null, null, null, startedAt, startedAt));
                    seed.add(Map.of("sessionId", id, "startedAt", Timestamps.format(startedAt), "deviceId", kiosk.id(),
                            "storeId", kiosk.store(), "groupId", kiosk.group(), "countryCode", kiosk.country(), "status", status));
                }
            }
        }
        Route route = Route.of("/api/sessions", "sessionId", ListWalker.descending("startedAt", "sessionId"));
        walker().walkEach(route, seed, List.of(
                Filter.none(),
                Filter.between("startedAt", at(days.get(0), 1, 1), at(days.get(2), 1, 1)),
                Filter.between("startedAt", calendar.startOf(days.get(1)), null),
                Filter.between("startedAt", null, calendar.startOf(days.get(2))),
                Filter.equal("deviceId", a.id()),
                Filter.equal("storeId", a.store()),
                Filter.equal("groupId", b.group()),
                Filter.equal("status", "completed"),
                Filter.equal("countryCode", "JP"),
                Filter.equal("deviceId", c.id()).and(Filter.between("startedAt", calendar.startOf(days.get(1)), null)),
                Filter.equal("storeId", b.store()).and(Filter.equal("groupId", b.group())).and(Filter.equal("status", "abandoned"))));
    }

    @Test
    void sales_walkToTheEnd_newestFirst_withEveryFilter() {
        List<Kiosk> kiosks = List.of(a, b, c);
        List<Map<String, Object>> seed = new ArrayList<>();
        for (LocalDate day : days) {
            for (int k = 0; k < kiosks.size(); k++) {
                for (int j = 0; j < 2; j++) {
                    Kiosk kiosk = kiosks.get(k);
                    String id = UUID.randomUUID().toString();
                    Instant soldAt = at(day, k, j);
                    var amounts = new Sale.Amounts(new BigDecimal("10000"), BigDecimal.ZERO, new BigDecimal("909"),
                            new BigDecimal("9091"), null);
                    sales.create(new Sale(id, UUID.randomUUID().toString(), kiosk.id(), kiosk.store(), kiosk.group(), kiosk.country(),
                            soldAt, "KRW", "card", amounts, null, calendar.dimensionOf(soldAt), soldAt));
                    seed.add(Map.of("saleId", id, "soldAt", Timestamps.format(soldAt), "deviceId", kiosk.id(), "storeId", kiosk.store()));
                }
            }
        }
        Route route = Route.of("/api/sales", "saleId", ListWalker.descending("soldAt", "saleId"));
        walker().walkEach(route, seed, List.of(
                Filter.none(),
                Filter.between("soldAt", at(days.get(0), 2, 1), at(days.get(2), 2, 1)),
                Filter.between("soldAt", calendar.startOf(days.get(1)), null),
                Filter.between("soldAt", null, calendar.startOf(days.get(2))),
                Filter.equal("deviceId", b.id()),
                Filter.equal("storeId", a.store()),
                Filter.equal("deviceId", c.id()).and(Filter.equal("storeId", c.store()))));
    }

    @Test
    void devices_walkToTheEnd_byId_withEveryFilter() {
        Instant now = clock.instant();
        List<Map<String, Object>> seed = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String id = "walk-" + run + "-device-" + i;
            String store = "store-" + run + "-" + (i < 6 ? 1 : 2);
            String group = "group-" + run + "-" + (i % 2 + 1);
            Instant revokedAt = i == 4 ? now : null;
            Registry.register(devices, id, store, group, "KR", now);
            if (revokedAt != null) {
                devices.revoke(id, revokedAt);
            }
            Instant lastSeen = i % 3 == 0 ? null : now.minus(Duration.ofMinutes(i % 3 == 1 ? 5 : 120));
            if (lastSeen != null) {
                devices.touch(id, lastSeen, lastSeen.minus(Duration.ofMinutes(1)));
            }
            Map<String, Object> row = new HashMap<>(Map.of("deviceId", id, "storeId", store, "groupId", group));
            row.put("silent", revokedAt == null && (lastSeen == null || lastSeen.isBefore(now.minus(Duration.ofMinutes(30)))));
            seed.add(row);
        }
        Route route = Route.of("/api/devices", "deviceId", ListWalker.ascending("deviceId"));
        Filter silent = Filter.of(Map.of("silentFor", "PT30M"), row -> Boolean.TRUE.equals(row.get("silent")));
        String store1 = "store-" + run + "-1";
        String group2 = "group-" + run + "-2";
        walker().walkEach(route, seed, List.of(
                Filter.none(),
                Filter.equal("storeId", store1),
                Filter.equal("groupId", group2),
                Filter.equal("storeId", store1).and(Filter.equal("groupId", group2)),
                silent,
                silent.and(Filter.equal("storeId", store1))));
    }
}
