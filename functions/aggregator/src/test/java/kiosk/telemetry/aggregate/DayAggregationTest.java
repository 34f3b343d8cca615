package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorReport;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.performance.Metric;
import kiosk.telemetry.performance.MetricsTable;
import kiosk.telemetry.session.Session;
import kiosk.telemetry.session.SessionPatch;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.session.sale.Sale;
import kiosk.telemetry.session.sale.SalesTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One reporting day with known answers, written through the ingestion functions' table classes. */
class DayAggregationTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final LocalDate DAY = LocalDate.now(SEOUL).minusDays(3);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static TelemetryEngines engines;
    private static DynamoDbClient dynamo;
    private static ExecutorService pool;
    private static DayAggregation aggregation;
    private static DailySummariesTable summaries;
    private static DayAggregation.DayResult result;

    private static Instant kst(LocalDate d, int h, int m) {
        return d.atTime(LocalTime.of(h, m)).atZone(SEOUL).toInstant();
    }

    @BeforeAll
    static void aDayOfRecords() {
        engines = TelemetryEngines.start(null);
        dynamo = engines.dynamo().client();
        pool = Executors.newFixedThreadPool(8);
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
        ReportingCalendar calendar = new ReportingCalendar(SEOUL);
        IndexPager pager = new IndexPager(dynamo);
        Instant now = Instant.now();

        var devices = new DevicesTable(dynamo, config.tables().devices());
        devices.create(new Device("kiosk-a", "store-12", "grp-seoul", "KR", "h", now, null, null));
        devices.create(new Device("kiosk-b", null, null, null, "h", now, null, null));

        var sessions = new SessionsTable(dynamo, pager, calendar, config);
        session(sessions, "kiosk-a", kst(DAY, 10, 0), "completed", kst(DAY, 10, 3),
                funnel(List.of("attract", "start", "frame_select", "capture", "edit", "payment", "print", "complete"), null),
                behavior(10, 2, 3));
        session(sessions, "kiosk-a", kst(DAY, 11, 0), "abandoned", kst(DAY, 11, 1),
                funnel(List.of("attract", "start"), "frame_select"), behavior(4, 0, 1));
        session(sessions, "kiosk-a", kst(DAY, 12, 0), null, null, null, null);
        session(sessions, "kiosk-a", kst(DAY, 23, 59), "completed", kst(DAY.plusDays(1), 0, 3),  // across midnight: day of its start
                funnel(List.of("attract", "start"), null), null);
        session(sessions, "kiosk-a", kst(DAY.minusDays(1), 23, 58), "completed", kst(DAY, 0, 5), null, null); // the day before
        session(sessions, "kiosk-b", kst(DAY, 9, 0), "completed", kst(DAY, 9, 2), null, null);

        var sales = new SalesTable(dynamo, pager, calendar, config);
        sale(sales, calendar, kst(DAY, 10, 2), "KRW", "card", "10000", "1000", "818", "8182", "5000");
        sale(sales, calendar, kst(DAY, 11, 30), "KRW", "cash", "5000", "0", "455", "4545", null);
        sale(sales, calendar, kst(DAY, 14, 0), "USD", "card", "12.50", "0.50", "1.00", "11.00", null);
        sale(sales, calendar, kst(DAY.plusDays(1), 0, 1), "KRW", "card", "99999", "0", "0", "99999", null); // next day

        var metrics = new MetricsTable(dynamo, pager, calendar, config);
        for (int i = 1; i <= 100; i++) {
            metrics.put(new Metric(UUID.randomUUID().toString(), null, "kiosk-a", "store-12", null, "KR", "capture",
                    kst(DAY, 13, 0).plusSeconds(i), i * 10L, i > 3, null, null, now));
        }
        metrics.put(new Metric(UUID.randomUUID().toString(), null, "kiosk-a", null, null, null, "print", kst(DAY, 13, 5), 7000, false, null, null, now));

        var store = new ErrorStore(dynamo, new ErrorsTable(dynamo, pager, calendar, config), new ErrorGroupsTable(dynamo, pager, config));
        error(store, kst(DAY, 15, 0), "warning", "hardware");
        error(store, kst(DAY, 15, 5), "error", "network");

        var events = new EventsTable(dynamo, pager, calendar, config);
        String s = UUID.randomUUID().toString();
        String[] types = {"tap", "tap", "tap", "tap", "tap", "scroll", "scroll", "screen_enter"};
        for (int i = 0; i < types.length; i++) {
            events.putIfAbsent(new Event(s, i, "kiosk-a", null, null, null, types[i], kst(DAY, 16, i), null, null, now));
        }
        events.putIfAbsent(new Event(UUID.randomUUID().toString(), 0, "kiosk-b", null, null, null, "tap", kst(DAY, 9, 1), null, null, now));

        summaries = new DailySummariesTable(dynamo, config.tables().dailySummaries(), config.shards().summaries());
        var src = new DayAggregation.Sources(
                new DayReader.DaySource("sessions", config.tables().sessions(), config.shards().sessions(), "sessionId", true),
                new DayReader.DaySource("sales", config.tables().sales(), config.shards().sales(), "saleId", false),
                new DayReader.DaySource("performance", config.tables().metrics(), config.shards().metrics(), "metricId", false),
                new DayReader.DaySource("errors", config.tables().errors(), config.shards().errors(), "errorId", false),
                new DayReader.DaySource("events", config.tables().events(), config.shards().events(), "sessionId", false),
                config.tables().devices());
        aggregation = new DayAggregation(dynamo, new DayReader(dynamo, pool), src, summaries);
        result = aggregation.aggregate(DAY, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        dynamo.close();
        engines.close();
    }

    private static void session(SessionsTable t, String device, Instant start, String status, Instant end, JsonNode funnel, JsonNode behavior) {
        String id = UUID.randomUUID().toString();
        t.create(new Session(id, device, null, null, null, start, null, null, "started", 0, null, null, null, null, start, start));
        if (status != null) {
            t.applyPatch(id, new SessionPatch(1, status, end == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(end),
                    SessionPatch.Change.absent(), funnel == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(funnel),
                    behavior == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(behavior)), 0, start);
        }
    }

    private static JsonNode funnel(List<String> stages, String exit) {
        ObjectNode f = F.objectNode();
        var arr = f.putArray("stages");
        stages.forEach(st -> arr.addObject().put("stage", st));
        if (exit != null) {
            f.put("exitStage", exit);
        }
        return f;
    }

    private static JsonNode behavior(long taps, long scrolls, long selections) {
        return F.objectNode().put("totalTaps", taps).put("totalScrolls", scrolls).put("selectionChanges", selections);
    }

    private static void sale(SalesTable t, ReportingCalendar cal, Instant at, String currency, String method,
                             String gross, String discount, String tax, String net, String margin) {
        t.create(new Sale(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "kiosk-a", "store-12", null, "KR", at,
                currency, method, new Sale.Amounts(new BigDecimal(gross), new BigDecimal(discount), new BigDecimal(tax),
                new BigDecimal(net), margin == null ? null : new BigDecimal(margin)), null, cal.dimensionOf(at), at));
    }

    private static void error(ErrorStore store, Instant at, String severity, String category) {
        store.record(new ErrorReport(UUID.randomUUID().toString(), null, "kiosk-a", null, null, null, at, severity, category,
                "C", "m", null, null, null, "0123456789abcdef0123", at));
    }

    private static JsonNode summary(String device) {
        return summaries.get(DAY, device).orElseThrow();
    }

    @Test
    void sessions_conversion_duration_andFunnel() {
        JsonNode s = summary("kiosk-a");
        assertEquals(4, s.at("/sessions/total").asInt(), "the session from the day before is not counted");
        assertEquals(1, s.at("/sessions/byStatus/started").asInt());
        assertEquals(2, s.at("/sessions/byStatus/completed").asInt());
        assertEquals(1, s.at("/sessions/byStatus/abandoned").asInt());
        assertEquals(0, s.at("/sessions/byStatus/in_progress").asInt());
        assertEquals(0.5, s.at("/sessions/conversionRate").asDouble());
        assertEquals((180_000 + 60_000 + 240_000) / 3, s.at("/sessions/avgDurationMs").asLong());
        assertEquals("{\"attract\":3,\"start\":3,\"frame_select\":2,\"capture\":1,\"edit\":1,\"payment\":1,\"print\":1,\"complete\":1}",
                s.at("/funnel/reached").toString());
        assertEquals(1, s.at("/funnel/exitStage/frame_select").asInt());
        assertEquals(0, s.at("/funnel/exitStage/capture").asInt());
        assertEquals("{\"totalTaps\":14,\"totalScrolls\":2,\"selectionChanges\":4}", s.at("/behavior").toString());
    }

    @Test
    void sales_areExactDecimalStrings_perCurrencyAndPaymentMethod() {
        JsonNode s = summary("kiosk-a").get("sales");
        assertEquals(3, s.get("count").asInt(), "the sale after midnight belongs to the next day");
        assertEquals("{\"gross\":\"15000\",\"discount\":\"1000\",\"tax\":\"1273\",\"net\":\"12727\",\"margin\":\"5000\"}",
                s.at("/byCurrency/KRW").toString());
        assertEquals("{\"gross\":\"12.5\",\"discount\":\"0.5\",\"tax\":\"1\",\"net\":\"11\",\"margin\":\"0\"}", s.at("/byCurrency/USD").toString());
        assertEquals("{\"count\":2,\"net\":{\"KRW\":\"8182\",\"USD\":\"11\"}}", s.at("/byPaymentMethod/card").toString());
        assertEquals("{\"count\":1,\"net\":{\"KRW\":\"4545\"}}", s.at("/byPaymentMethod/cash").toString());
    }

    @Test
    void performance_nearestRankPercentiles_overEveryMetric_andSuccessRate() {
        JsonNode p = summary("kiosk-a").get("performance");
        assertEquals("{\"count\":100,\"successRate\":0.97,\"p50\":500,\"p95\":950,\"p99\":990,\"max\":1000}", p.get("capture").toString());
        JsonNode print = p.get("print");
        assertEquals(0.0, print.get("successRate").asDouble());
        ((ObjectNode) print).remove("successRate");
        assertEquals("{\"count\":1,\"p50\":7000,\"p95\":7000,\"p99\":7000,\"max\":7000}", print.toString());
        assertEquals(2, p.size(), "only the types seen that day");
    }

    @Test
    void errors_events_andDimensions_withUnknownForMissing() {
        JsonNode a = summary("kiosk-a");
        assertEquals("{\"total\":2,\"bySeverity\":{\"fatal\":0,\"error\":1,\"warning\":1,\"info\":0},"
                + "\"byCategory\":{\"hardware\":1,\"software\":0,\"network\":1}}", a.get("errors").toString());
        assertEquals("{\"total\":8,\"byType\":{\"screen_enter\":1,\"scroll\":2,\"tap\":5}}", a.get("events").toString());
        assertEquals("store-12", a.get("storeId").asText());
        JsonNode b = summary("kiosk-b");
        assertEquals("unknown", b.get("storeId").asText());
        assertEquals("unknown", b.get("groupId").asText());
        assertEquals("unknown", b.get("countryCode").asText());
        assertEquals(1, b.at("/sessions/total").asInt());
        assertEquals(0, b.at("/sales/count").asInt());
        assertEquals("{}", b.at("/performance").toString());
        assertEquals(0, b.at("/errors/bySeverity/fatal").asInt());
    }

    @Test
    void runCounts_andARerunWritesTheSameSummaries() {
        assertEquals(2, result.devices());
        assertEquals(Map.of("sessions", 5L, "sales", 3L, "performance", 101L, "errors", 2L, "events", 9L), Map.copyOf(result.records()));
        JsonNode before = summary("kiosk-a");
        var again = aggregation.aggregate(DAY, Instant.parse("2026-01-02T00:00:00Z"));
        JsonNode after = summary("kiosk-a");
        assertEquals(result.records(), again.records());
        ((ObjectNode) before).remove("aggregatedAt");
        assertEquals("2026-01-02T00:00:00.000Z", ((ObjectNode) after).remove("aggregatedAt").asText());
        assertEquals(before, after);
    }

    @Test
    void nearestRank_definition() {
        assertEquals(1, DeviceDay.nearestRank(List.of(1L), 99));
        assertEquals(2, DeviceDay.nearestRank(List.of(1L, 2L), 50 + 1));
        assertEquals(1, DeviceDay.nearestRank(List.of(1L, 2L), 50));
        assertThrows(IndexOutOfBoundsException.class, () -> DeviceDay.nearestRank(List.of(), 50));
    }
}
