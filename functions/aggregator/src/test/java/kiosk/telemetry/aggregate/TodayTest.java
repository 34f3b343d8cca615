package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.insights.InsightQuery;
import kiosk.telemetry.aggregate.insights.InsightsService;
import kiosk.telemetry.aggregate.insights.RegisteredDevices;
import kiosk.telemetry.aggregate.insights.Today;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.core.live.LiveTotals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static kiosk.telemetry.aggregate.KnownDay.kst;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code today}: records stored through the ingest services as kiosks send them (repeats, PATCHes, a record of the
 * day before) are counted up as they arrive, and at the day's end the live figures equal the nightly rollup's.
 */
class TodayTest {

    /** Ahead of today: the running totals of a day expire (TTL, which DynamoDB Local applies by the wall clock) two days after it. */
    private static final LocalDate DAY = KnownDay.TODAY.plusDays(2);

    private static KnownDay known;
    private static KioskTraffic traffic;
    private static TestClock clock;
    private static Today today;
    private static InsightsService insights;

    private static final Device A1 = Registry.device("live-a1", "store-a", "grp-1", "KR", Instant.EPOCH);
    private static final Device A2 = Registry.device("live-a2", "store-a", "grp-1", "KR", Instant.EPOCH);
    private static final Device B1 = Registry.device("live-b1", "store-b", "grp-2", "JP", Instant.EPOCH);

    @BeforeAll
    static void wire() {
        known = new KnownDay(DAY.plusDays(3));
        var dynamo = known.dynamo;
        var config = known.config;
        var calendar = known.calendar;
        traffic = new KioskTraffic(known, kst(DAY, 9, 0));
        clock = traffic.clock;
        var devices = new DevicesTable(dynamo, config.tables().devices());
        for (Device d : new Device[]{A1, A2, B1}) {
            devices.create(d);
        }
        var registered = new RegisteredDevices(devices, clock, Duration.ofMinutes(5));
        today = new Today(new LiveTotalsTable(dynamo, config), registered, calendar, clock, Duration.ofSeconds(30));
        insights = new InsightsService(new DailyRollupsTable(dynamo, config.tables().dailyRollups()), registered);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    @Test
    void theDaySoFar_countedAsRecordsArrive_equalsTheNightlyRollupAtTheDaysEnd() {
        at(9, 0);
        JsonNode empty = today.of(Rollups.Scope.FLEET);
        assertEquals(0, empty.at("/sessions/total").asLong());
        assertEquals(DAY.toString(), empty.get("date").asText());

        // live-a1: a session completed after 5 minutes, with a sale and two events; sent twice (the kiosk retried)
        String s1 = UUID.randomUUID().toString();
        at(10, 0);
        session(A1, s1, kst(DAY, 10, 0));
        session(A1, s1, kst(DAY, 10, 0));
        patch(A1, s1, "{\"seq\":1,\"status\":\"in_progress\"}");
        at(10, 5);
        patch(A1, s1, "{\"seq\":2,\"status\":\"completed\",\"endedAt\":\"" + kst(DAY, 10, 5) + "\"}");
        patch(A1, s1, "{\"seq\":2,\"status\":\"completed\",\"endedAt\":\"" + kst(DAY, 10, 5) + "\"}");
        String sale = UUID.randomUUID().toString();
        sale(A1, sale, s1, kst(DAY, 10, 4), "KRW", "card", "{\"gross\":10000,\"discount\":1000,\"tax\":818,\"net\":8182,\"margin\":5000}");
        sale(A1, sale, s1, kst(DAY, 10, 4), "KRW", "card", "{\"gross\":10000,\"discount\":1000,\"tax\":818,\"net\":8182,\"margin\":5000}");
        events(A1, s1, kst(DAY, 10, 1), 2);
        // live-a1: a second session abandoned after one minute, then its end time corrected to two
        String s2 = UUID.randomUUID().toString();
        at(11, 0);
        session(A1, s2, kst(DAY, 11, 0));
        at(11, 2);
        patch(A1, s2, "{\"seq\":1,\"status\":\"abandoned\",\"endedAt\":\"" + kst(DAY, 11, 1) + "\"}");
        patch(A1, s2, "{\"seq\":2,\"endedAt\":\"" + kst(DAY, 11, 2) + "\"}");
        // live-a2: only events, one of them of the day before (counted on neither side of today's figures)
        at(12, 0);
        events(A2, null, kst(DAY, 11, 59), 3);
        events(A2, null, kst(DAY.minusDays(1), 23, 0), 1);
        // live-b1: a session still open, a cash sale in USD with cents, a fatal error, and a sale of the day before
        String s3 = UUID.randomUUID().toString();
        at(15, 0);
        session(B1, s3, kst(DAY, 15, 0));
        sale(B1, UUID.randomUUID().toString(), s3, kst(DAY, 15, 1), "USD", "cash", "{\"gross\":11.5,\"discount\":0,\"tax\":0.5,\"net\":11}");
        // a voucher that covers the whole price: a sale of net 0, in a currency and a method of its own
        sale(B1, UUID.randomUUID().toString(), s3, kst(DAY, 15, 1), "JPY", "voucher", "{\"gross\":500,\"discount\":500,\"tax\":0,\"net\":0}");
        sale(B1, UUID.randomUUID().toString(), s3, kst(DAY.minusDays(1), 20, 0), "USD", "cash", "{\"gross\":3,\"discount\":0,\"tax\":0,\"net\":3}");
        error(B1, s3, kst(DAY, 15, 2), "fatal", "hardware");
        error(B1, null, kst(DAY, 15, 3), "warning", "network");

        at(23, 59);
        assertEquals(List.of(), traffic.metricLines.stream().filter(l -> l.contains("LiveTotalsMissed")).toList(), "every count was written");
        ObjectNode live = today.of(Rollups.Scope.FLEET);
        assertEquals("{\"reporting\":3,\"active\":2,\"registered\":" + live.at("/devices/registered").asLong() + "}", Json.write(live.get("devices")));
        assertEquals(3, live.at("/sessions/total").asLong());
        assertEquals(1, live.at("/sessions/byStatus/completed").asLong());
        assertEquals(1, live.at("/sessions/byStatus/abandoned").asLong());
        assertEquals(1, live.at("/sessions/byStatus/started").asLong());
        assertEquals(0, live.at("/sessions/byStatus/in_progress").asLong(), "moved on to completed");
        assertEquals(210000, live.at("/sessions/avgDurationMs").asLong(), "(5 + 2) minutes / 2 ended");
        assertEquals(3, live.at("/sales/count").asLong(), "the day before's sale and the repeat are not today's");
        assertEquals("0", live.at("/sales/byCurrency/JPY/net").asText(), "a sale of net 0 still shows its currency");
        assertEquals("{\"JPY\":\"0\"}", Json.write(live.at("/sales/byPaymentMethod/voucher/net")));
        assertEquals("8182", live.at("/sales/byCurrency/KRW/net").asText());
        assertEquals("11.5", live.at("/sales/byCurrency/USD/gross").asText());
        assertEquals("2727.33", live.at("/sales/netPerSession/KRW").asText(), "8182 / 3");
        assertEquals(2, live.at("/errors/total").asLong());
        assertEquals(1, live.at("/errors/bySeverity/fatal").asLong());
        assertEquals("66.67", live.at("/errors/per100Sessions").decimalValue().toPlainString());
        ObjectNode storeA = today.of(new Rollups.Scope(Rollups.ScopeType.store, "store-a"));
        assertEquals("{\"reporting\":2,\"active\":1,\"registered\":2}", Json.write(storeA.get("devices")));
        assertEquals(2, storeA.at("/sessions/total").asLong());
        ObjectNode japan = today.of(new Rollups.Scope(Rollups.ScopeType.country, "JP"));
        assertEquals(1, japan.at("/sessions/total").asLong());

        // the nightly run of the day: the rollups it writes say the same
        clock.set(kst(DAY.plusDays(1), 0, 5));
        known.aggregation().aggregate(DAY, "run-today", clock.instant());
        assertEquals(0, today.of(Rollups.Scope.FLEET).at("/sessions/total").asLong(), "a new day starts from nothing");
        for (InsightQuery q : new InsightQuery[]{query(null, null), query("store-a", null), query(null, "JP")}) {
            ObjectNode rolled = insights.overview(q);
            ObjectNode seen = q.scope().type() == Rollups.ScopeType.fleet ? live
                    : q.scope().type() == Rollups.ScopeType.store ? storeA : japan;
            for (String part : new String[]{"devices", "sessions", "sales", "errors"}) {
                assertEquals(Json.write(rolled.get(part)), Json.write(seen.get(part)), q.scope() + " " + part);
            }
        }
    }

    @Test
    void anAnswerIsKeptForItsTime_andSaysWhenItWasComputed() {
        Rollups.Scope store = new Rollups.Scope(Rollups.ScopeType.store, "store-kept");
        Device k = Registry.device("live-k1", "store-kept", null, null, Instant.EPOCH);
        clock.set(kst(DAY.plusDays(2), 9, 0));
        ObjectNode first = today.of(store);
        assertEquals(kst(DAY.plusDays(2), 9, 0).toString(), Instant.parse(first.get("asOf").asText()).toString());
        session(k, UUID.randomUUID().toString(), kst(DAY.plusDays(2), 9, 0));
        clock.set(kst(DAY.plusDays(2), 9, 0).plusSeconds(29));
        assertEquals(0, today.of(store).at("/sessions/total").asLong(), "kept for 30 s");
        clock.set(kst(DAY.plusDays(2), 9, 0).plusSeconds(30));
        ObjectNode later = today.of(store);
        assertEquals(1, later.at("/sessions/total").asLong());
        assertEquals(clock.instant(), Instant.parse(later.get("asOf").asText()));
    }

    private static InsightQuery query(String storeId, String countryCode) {
        return InsightQuery.parse(DAY.toString(), DAY.toString(), storeId, null, countryCode, DAY.plusDays(1));
    }

    private static void at(int hour, int minute) {
        clock.set(kst(DAY, hour, minute));
    }

    private static void session(Device d, String id, Instant startedAt) {
        traffic.session(d, id, startedAt);
    }

    private static void patch(Device d, String id, String body) {
        traffic.patch(d, id, body);
    }

    private static void sale(Device d, String id, String session, Instant soldAt, String currency, String method, String amounts) {
        traffic.sale(d, id, session, soldAt, currency, method, amounts);
    }

    private static void error(Device d, String session, Instant at, String severity, String category) {
        traffic.error(d, session, at, severity, category);
    }

    private static void events(Device d, String session, Instant at, int n) {
        traffic.events(d, session, at, n);
    }
}
