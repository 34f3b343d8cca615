package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.insights.Breakdown;
import kiosk.telemetry.aggregate.insights.InsightQuery;
import kiosk.telemetry.aggregate.insights.InsightsService;
import kiosk.telemetry.aggregate.insights.RegisteredDevices;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.ProblemMapper;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.page.CursorCodec;
import kiosk.telemetry.core.page.InvalidCursorException;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The insights routes' figures, read from the rollups of a day with known answers ({@link KnownDay}). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InsightsTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(5);
    private static final LocalDate TODAY = KnownDay.TODAY;

    private static KnownDay known;
    private static InsightsService insights;
    private static Breakdown breakdown;
    private static DailyRollupsTable rollups;
    private static DevicesTable devices;
    private static TestClock clock;

    @BeforeAll
    static void aggregated() {
        known = new KnownDay(DAY);
        known.aggregation().aggregate(DAY, "run-1", Instant.parse("2026-01-01T00:00:00Z"));
        rollups = new DailyRollupsTable(known.dynamo, known.config.tables().dailyRollups());
        clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        devices = new DevicesTable(known.dynamo, known.config.tables().devices());
        insights = new InsightsService(rollups, new RegisteredDevices(devices, clock, Duration.ofMinutes(5)));
        breakdown = new Breakdown(rollups, new DailySummariesTable(known.dynamo, known.config.tables().dailySummaries(), known.config.shards().summaries()), devices, Runnable::run);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    private static InsightQuery range(LocalDate from, LocalDate to, String storeId) {
        return InsightQuery.parse(from.toString(), to.toString(), storeId, null, null, TODAY);
    }

    /**
     * The known day (KnownDay): 5 sessions start on it (3 completed, 1 abandoned, 1 still open), 4 of them ended
     * after 3, 1, 4 and 2 minutes; 3 sessions carry funnels (one to complete, one to start, one left at
     * frame_select); 3 sales (KRW 8182 and
     * 4545 net, USD 11); 2 errors; 100 captures of 10..1000 ms of which 97 succeeded, 1 failed print; devices
     * kiosk-a (store-12, grp-seoul, KR) and kiosk-b.
     */
    @Test
    @Order(1)
    void overview_theRangesFiguresFromTheRollups_withDropOffPerStage_andRegisteredDevicesNow() {
        JsonNode o = insights.overview(range(DAY.minusDays(1), DAY, null));
        assertEquals(DAY.minusDays(1).toString(), o.get("from").asText());
        assertEquals("{}", Json.write(o.get("scope")));
        assertEquals("{\"reporting\":2,\"active\":2,\"registered\":2}", Json.write(o.get("devices")));
        assertEquals(5, o.at("/sessions/total").asLong(), "the day before was not rolled up: it counts as empty");
        assertEquals("0.6", o.at("/sessions/conversionRate").decimalValue().toPlainString(), "3 of 5 completed");
        assertEquals(1, o.at("/sessions/byStatus/abandoned").asLong());
        assertEquals(150000, o.at("/sessions/avgDurationMs").asLong(), "(3 + 1 + 4 + 2) minutes / 4 ended");
        assertEquals(3, o.at("/funnel/reached/attract").asLong());
        assertEquals(2, o.at("/funnel/reached/frame_select").asLong(), "the abandoned session left at frame_select: it reached it");
        assertEquals(1, o.at("/funnel/reached/capture").asLong());
        assertEquals("0", o.at("/funnel/dropOff/attract").decimalValue().toPlainString());
        assertEquals("0.3333", o.at("/funnel/dropOff/start").decimalValue().toPlainString(), "1 - 2/3");
        assertEquals("0.5", o.at("/funnel/dropOff/frame_select").decimalValue().toPlainString(), "1 - 1/2");
        assertEquals("0", o.at("/funnel/dropOff/print").decimalValue().toPlainString());
        assertEquals(false, o.at("/funnel/dropOff").has("complete"));
        assertEquals(3, o.at("/sales/count").asLong());
        assertEquals("12727", o.at("/sales/byCurrency/KRW/net").asText());
        assertEquals("2545.4", o.at("/sales/netPerSession/KRW").asText(), "12727 / 5");
        assertEquals("2.2", o.at("/sales/netPerSession/USD").asText(), "11 / 5");
        assertEquals(2, o.at("/errors/total").asLong());
        assertEquals("40", o.at("/errors/per100Sessions").decimalValue().toPlainString(), "2 * 100 / 5");
        assertEquals(1, o.at("/errors/bySeverity/warning").asLong());
        assertEquals(1, o.at("/errors/byCategory/network").asLong());
        assertEquals(100, o.at("/performance/capture/count").asLong());
        assertEquals("0.97", o.at("/performance/capture/successRate").decimalValue().toPlainString());
        assertEquals(500, o.at("/performance/capture/p50").asLong(), 5.0);
        assertEquals(990, o.at("/performance/capture/p99").asLong(), 9.9);
        assertEquals("0", o.at("/performance/print/successRate").decimalValue().toPlainString());

        JsonNode store = insights.overview(range(DAY, DAY, "store-12"));
        assertEquals("{\"storeId\":\"store-12\"}", Json.write(store.get("scope")));
        assertEquals("{\"reporting\":1,\"active\":1,\"registered\":1}", Json.write(store.get("devices")));
        assertEquals(4, store.at("/sessions/total").asLong(), "kiosk-a's 4 sessions of the day");

        JsonNode empty = insights.overview(range(DAY.minusDays(3), DAY.minusDays(2), null));
        assertEquals(0, empty.at("/sessions/total").asLong());
        assertEquals(true, empty.at("/errors/per100Sessions").isNull());
        assertEquals("{}", Json.write(empty.at("/sales/netPerSession")));
    }

    @Test
    @Order(2)
    void overview_registered_leavesRevokedDevicesOut_countedAgainAfterItsKeepTime() {
        Registry.register(devices, "kiosk-r", "store-77", null, "JP", clock.instant());
        Registry.register(devices, "kiosk-s", "store-77", null, "JP", clock.instant());
        assertEquals(2, insights.overview(range(DAY, DAY, "store-77")).at("/devices/registered").asLong());
        devices.revoke("kiosk-r", clock.instant());
        assertEquals(2, insights.overview(range(DAY, DAY, "store-77")).at("/devices/registered").asLong(), "kept for 5 minutes");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, insights.overview(range(DAY, DAY, "store-77")).at("/devices/registered").asLong());
        assertEquals(1, insights.overview(InsightQuery.parse(DAY.toString(), DAY.toString(), null, null, "JP", TODAY)).at("/devices/registered").asLong());
    }

    @Test
    void hourly_sumsTheReportingZonesHours_andTheWeekdayRow() {
        JsonNode h = insights.hourly(range(DAY.minusDays(2), DAY, null));
        assertEquals("{\"hour\":9,\"sessions\":1,\"completed\":1,\"conversionRate\":1,\"net\":{},\"errors\":0}", Json.write(h.get("byHour").get(9)));
        assertEquals("{\"hour\":10,\"sessions\":1,\"completed\":1,\"conversionRate\":1,\"net\":{\"KRW\":\"8182\"},\"errors\":0}",
                Json.write(h.get("byHour").get(10)));
        assertEquals("{\"hour\":11,\"sessions\":1,\"completed\":0,\"conversionRate\":0,\"net\":{\"KRW\":\"4545\"},\"errors\":0}",
                Json.write(h.get("byHour").get(11)));
        assertEquals("{\"hour\":14,\"sessions\":0,\"completed\":0,\"conversionRate\":0,\"net\":{\"USD\":\"11\"},\"errors\":0}",
                Json.write(h.get("byHour").get(14)));
        assertEquals(2, h.get("byHour").get(15).get("errors").asInt());
        int weekday = DAY.getDayOfWeek().getValue() - 1;
        assertEquals("[0,0,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0,0,0,0,0,0,1]", Json.write(h.get("byWeekdayHour").get(weekday)));
        assertEquals(7, h.get("byWeekdayHour").size());
    }

    @Test
    void timeseries_oneValuePerDayOfTheRange_andNullWhereThereIsNothingToDivide() {
        JsonNode sessions = insights.timeseries(range(DAY.minusDays(1), DAY, null), "sessions", null);
        assertEquals("[{\"start\":\"" + DAY.minusDays(1) + "\",\"value\":0},{\"start\":\"" + DAY + "\",\"value\":5}]", Json.write(sessions.get("points")));
        assertEquals("12727", insights.timeseries(range(DAY, DAY, null), "net.KRW", "day").at("/points/0/value").asText());
        assertEquals("0.6", insights.timeseries(range(DAY, DAY, null), "conversionRate", "day").at("/points/0/value").decimalValue().toPlainString());
        assertEquals(950, insights.timeseries(range(DAY, DAY, null), "p95.capture", "day").at("/points/0/value").asLong(), 9.5);
        assertEquals(true, insights.timeseries(range(DAY.minusDays(1), DAY.minusDays(1), null), "errorsPer100Sessions", "day")
                .at("/points/0/value").isNull());
        assertEquals(2, insights.timeseries(range(DAY, DAY, null), "activeDevices", "day").at("/points/0/value").asLong());
        assertEquals(1, insights.timeseries(range(DAY, DAY, "store-12"), "activeDevices", "day").at("/points/0/value").asLong());

        JsonNode month = insights.timeseries(range(DAY.minusDays(40), DAY, null), "sessions", "month");
        assertEquals(DAY.minusDays(40).withDayOfMonth(1).toString(), month.at("/points/0/start").asText(), "a month starts on the 1st, before from");
        JsonNode week = insights.timeseries(range(DAY, DAY, null), "sessions", "week");
        assertEquals(DAY.minusDays(DAY.getDayOfWeek().getValue() - 1).toString(), week.at("/points/0/start").asText(), "a week starts on Monday");
    }

    @Test
    void experiments_variantsAgainstTheControl_withTheWilsonIntervalAndTheZTest() {
        // a store's day: control A 100 of 1,000 sessions completed, variant B 130 of 1,000 (ProportionsTest works it by hand)
        LocalDate day = DAY.minusDays(3);
        List<ObjectNode> summaries = new ArrayList<>();
        summaries.add(summary(day, "kiosk-x1", "A", 1000, 100, "50000"));
        summaries.add(summary(day, "kiosk-x2", "B", 1000, 130, "65000"));
        rollups.replaceDay(day, Rollups.of(day.toString(), summaries, "x"));

        JsonNode e = insights.experiments(range(day, day, "store-exp"), null).at("/experiments/0");
        assertEquals("frameLayout", e.get("name").asText());
        assertEquals("A", e.get("control").asText());
        JsonNode a = e.at("/variants/0");
        JsonNode b = e.at("/variants/1");
        assertEquals("A", a.get("variant").asText());
        assertEquals(false, a.has("pValue") || a.has("uplift"), "the control carries neither");
        assertEquals("[0.0829,0.1202]", Json.write(a.get("ci95")), "Wilson 95 % of 100/1000");
        assertEquals("0.1", a.get("conversionRate").decimalValue().toPlainString());
        assertEquals("{\"KRW\":\"50\"}", Json.write(a.get("netPerSession")));
        assertEquals("0.03", b.get("uplift").decimalValue().toPlainString());
        assertEquals(0.0355, b.get("pValue").asDouble(), 0.0005);
        assertEquals(4, b.get("pValue").decimalValue().precision(), "4 significant digits");
        assertEquals("{\"experiments\":[]}", Json.write(insights.experiments(range(day, day, "store-exp"), "nothing-by-that-name")));
    }

    /**
     * A day of three stores: store-p (kiosk-p1 5 of 10 sessions completed, KRW 1000.50 net; kiosk-p2 2 of 10),
     * store-q (kiosk-q1 2 of 4) and store-r (kiosk-r1 without sessions); kiosk-p3 is in store-p now but was in store-x
     * that day.
     */
    private static LocalDate storesDay() {
        LocalDate day = DAY.minusDays(10);
        List<ObjectNode> summaries = List.of(
                storeSummary(day, "kiosk-p1", "store-p", "g-1", 10, 5, "1000.50"),
                storeSummary(day, "kiosk-p2", "store-p", "g-1", 10, 2, null),
                storeSummary(day, "kiosk-q1", "store-q", "g-2", 4, 2, null),
                storeSummary(day, "kiosk-r1", "store-r", "g-2", 0, 0, null),
                storeSummary(day, "kiosk-p3", "store-x", "g-2", 3, 3, null));
        rollups.replaceDay(day, Rollups.of(day.toString(), summaries, "x"));
        DailySummariesTable table = new DailySummariesTable(known.dynamo, known.config.tables().dailySummaries(), known.config.shards().summaries());
        table.putBatch(summaries);
        for (String[] d : new String[][]{{"kiosk-p1", "store-p"}, {"kiosk-p2", "store-p"}, {"kiosk-p3", "store-p"}, {"kiosk-p4", "store-p"}}) {
            devices.create(Registry.device(d[0], d[1], "g-1", "KR", clock.instant())); // the second test of this day finds them there
        }
        return day;
    }

    @Test
    void breakdown_ranksStoresByTheMetric_nullsLast_tiesByKey_pagedByCursor() {
        LocalDate day = storesDay();
        JsonNode conversion = breakdown.rank(range(day, day, null), "store", "conversionRate", null, null, null);
        assertEquals("[{\"key\":\"store-x\",\"value\":1,\"sessions\":3},{\"key\":\"store-q\",\"value\":0.5,\"sessions\":4},"
                + "{\"key\":\"store-p\",\"value\":0.35,\"sessions\":20},{\"key\":\"store-r\",\"value\":0,\"sessions\":0}]",
                Json.write(conversion.get("items")));
        assertEquals(true, conversion.get("nextCursor").isNull());

        JsonNode per100 = breakdown.rank(range(day, day, null), "store", "errorsPer100Sessions", "asc", null, null);
        assertEquals("store-r", per100.at("/items/3/key").asText(), "no sessions: no value, ranked last in either order");
        assertEquals(true, per100.at("/items/3/value").isNull());
        assertEquals("store-p", per100.at("/items/0/key").asText(), "0 errors everywhere else: ties by key");

        JsonNode net = breakdown.rank(range(day, day, null), "store", "net.KRW", null, null, null);
        assertEquals("{\"key\":\"store-p\",\"value\":\"1000.5\",\"sessions\":20}", Json.write(net.at("/items/0")));
        assertEquals("0", net.at("/items/1/value").asText());

        JsonNode first = breakdown.rank(range(day, day, null), "store", "sessions", "asc", "3", null);
        assertEquals("[\"store-r\",\"store-x\",\"store-q\"]", Json.write(keys(first)));
        JsonNode rest = breakdown.rank(range(day, day, null), "store", "sessions", "asc", "3", first.get("nextCursor").asText());
        assertEquals("[\"store-p\"]", Json.write(keys(rest)));
        assertEquals(true, rest.get("nextCursor").isNull());
        assertThrows(InvalidCursorException.class,
                () -> breakdown.rank(range(day, day, null), "store", "sessions", "desc", "3", first.get("nextCursor").asText()),
                "a cursor of another order is refused");

        JsonNode groups = breakdown.rank(range(day, day, null), "group", "sessions", null, null, null);
        assertEquals("[\"g-1\",\"g-2\"]", Json.write(keys(groups)));
        assertEquals(7, groups.at("/items/1/value").asLong(), "kiosk-q1 4 + kiosk-r1 0 + kiosk-p3 3");
        assertEquals("{\"items\":[],\"nextCursor\":null}", Json.write(breakdown.rank(range(day.minusDays(1), day.minusDays(1), null),
                "country", "sessions", null, null, null)), "a range without rollups has no keys");
    }

    @Test
    void breakdown_byDevice_readsTheStoresDevices_onTheDaysTheirSummaryPutsThemThere() {
        LocalDate day = storesDay();
        JsonNode d = breakdown.rank(range(day, day, "store-p"), "device", "completed", null, null, null);
        assertEquals("[{\"key\":\"kiosk-p1\",\"value\":5,\"sessions\":10},{\"key\":\"kiosk-p2\",\"value\":2,\"sessions\":10}]",
                Json.write(d.get("items")), "kiosk-p3 was in store-x that day, kiosk-p4 has no summary");
        assertEquals("[\"kiosk-p1\",\"kiosk-p2\"]", Json.write(keys(breakdown.rank(InsightQuery.parse(day.toString(), day.toString(), null,
                "g-1", null, TODAY), "device", "sessions", null, null, null))), "all four are in g-1 now; that day kiosk-p3 was in g-2");
    }

    @Test
    void breakdown_badParameters_are400s_withTheField() {
        LocalDate day = DAY;
        assertField("by", () -> breakdown.rank(range(day, day, null), "planet", "sessions", null, null, null));
        assertField("by", () -> breakdown.rank(range(day, day, null), null, "sessions", null, null, null));
        assertField("by", () -> breakdown.rank(range(day, day, null), "device", "sessions", null, null, null));
        assertField("countryCode", () -> breakdown.rank(InsightQuery.parse(day.toString(), day.toString(), null, null, "KR", TODAY), "device",
                "sessions", null, null, null));
        assertField("storeId", () -> breakdown.rank(range(day, day, "store-12"), "store", "sessions", null, null, null));
        assertField("metric", () -> breakdown.rank(range(day, day, null), "store", "revenue", null, null, null));
        assertField("order", () -> breakdown.rank(range(day, day, null), "store", "sessions", "up", null, null));
        assertField("limit", () -> breakdown.rank(range(day, day, null), "store", "sessions", null, "0", null));
        assertField("limit", () -> breakdown.rank(range(day, day, null), "store", "sessions", null, "1001", null));
        assertThrows(InvalidCursorException.class, () -> breakdown.rank(range(day, day, null), "store", "sessions", null, null, "abc.def"));
        String far = CursorCodec.encode("insights/breakdown|store|sessions|desc|" + day + "|" + day + "|fleet",
                Json.MAPPER.createObjectNode().put("rank", Integer.MAX_VALUE));
        assertThrows(InvalidCursorException.class, () -> breakdown.rank(range(day, day, null), "store", "sessions", null, "1000", far),
                "a well-formed cursor past the ranking's end is refused, not a 500");
    }

    private static JsonNode keys(JsonNode page) {
        var out = Json.MAPPER.createArrayNode();
        page.get("items").forEach(i -> out.add(i.get("key").asText()));
        return out;
    }

    private static ObjectNode storeSummary(LocalDate day, String device, String store, String group, int sessions, int completed, String net) {
        String sales = net == null ? "{\"count\":0,\"byCurrency\":{},\"byPaymentMethod\":{}}"
                : "{\"count\":1,\"byCurrency\":{\"KRW\":{\"net\":\"" + net + "\"}},\"byPaymentMethod\":{}}";
        return (ObjectNode) Json.readStored("{\"date\":\"" + day + "\",\"deviceId\":\"" + device + "\",\"storeId\":\"" + store + "\","
                + "\"groupId\":\"" + group + "\",\"countryCode\":\"KR\",\"sessions\":{\"total\":" + sessions + ",\"byStatus\":{\"completed\":"
                + completed + "},\"durationMsSum\":0,\"ended\":0},\"sales\":" + sales + ",\"errors\":{\"total\":0,\"bySeverity\":{},"
                + "\"byCategory\":{}}}");
    }

    @Test
    void badParameters_are400s_withTheField() {
        assertField("to", () -> InsightQuery.parse(DAY.toString(), DAY.plusDays(366).toString(), null, null, null, DAY.plusDays(400)));
        assertField("to", () -> InsightQuery.parse(DAY.toString(), DAY.minusDays(1).toString(), null, null, null, TODAY));
        assertField("to", () -> InsightQuery.parse(TODAY.toString(), TODAY.plusDays(1).toString(), null, null, null, TODAY));
        assertField("from", () -> InsightQuery.parse(null, DAY.toString(), null, null, null, TODAY));
        assertField("from", () -> InsightQuery.parse("2026-02-30", DAY.toString(), null, null, null, TODAY));
        assertField("groupId", () -> InsightQuery.parse(DAY.toString(), DAY.toString(), "s", "g", null, TODAY));
        assertField("metric", () -> insights.timeseries(range(DAY, DAY, null), "revenue", null));
        assertField("interval", () -> insights.timeseries(range(DAY, DAY, null), "sessions", "hour"));
        assertEquals(366, insights.timeseries(InsightQuery.parse(DAY.minusDays(365).toString(), DAY.toString(), null, null, null, TODAY),
                "sessions", null).get("points").size(), "366 dates is the most");
    }

    private static void assertField(String field, Runnable call) {
        RuntimeException thrown = assertThrows(RuntimeException.class, call::run);
        // a parameter is refused by the domain (a Refusal) or at parsing (an ApiException): the route answers both alike
        ApiException e = thrown instanceof Refusal r ? ProblemMapper.answer(r) : assertInstanceOf(ApiException.class, thrown);
        assertEquals(400, e.status());
        assertEquals(field, e.errors().get(0).field(), e.getMessage());
    }

    private static ObjectNode summary(LocalDate day, String device, String variant, int sessions, int completed, String net) {
        return (ObjectNode) Json.readStored("{\"date\":\"" + day + "\",\"deviceId\":\"" + device + "\",\"storeId\":\"store-exp\",\"groupId\":\"g\","
                + "\"countryCode\":\"KR\",\"sessions\":{\"total\":" + sessions + ",\"byStatus\":{\"completed\":" + completed + "},"
                + "\"durationMsSum\":0,\"ended\":0},\"sales\":{\"count\":1,\"byCurrency\":{\"KRW\":{\"net\":\"" + net + "\"}},\"byPaymentMethod\":{}},"
                + "\"experiments\":{\"frameLayout\":{\"" + variant + "\":{\"sessions\":" + sessions + ",\"completed\":" + completed
                + ",\"net\":{\"KRW\":\"" + net + "\"}}}}}");
    }
}
