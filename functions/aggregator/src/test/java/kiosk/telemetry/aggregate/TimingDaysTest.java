package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.store.MetricItem;
import kiosk.telemetry.performance.Metric;
import kiosk.telemetry.performance.TimingsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The nightly run finds every timing of a day through the session-day directory: timings whose session never arrives,
 * app starts outside any session, a session across midnight (each day gets its own timings), and timings stored in the
 * Metrics table before the Timings table existed (found through its day index), each read exactly once.
 */
class TimingDaysTest {

    private static final LocalDate KNOWN = KnownDay.TODAY.minusDays(3);
    private static final LocalDate DAY = KNOWN.minusDays(7);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static KnownDay known;
    private static TimingsTable timings;

    @BeforeAll
    static void start() {
        known = new KnownDay(KNOWN);
        timings = new TimingsTable(known.dynamo, known.calendar, known.config);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    private static void put(String session, String device, String type, Instant at, long durationMs) {
        var outcome = timings.putIfAbsent(new Metric(UUID.randomUUID().toString(), session, device, null, null, null, type, at,
                durationMs, true, null, null, at));
        assertEquals(true, outcome.created());
    }

    /** A timing as the function stored it before the Timings table: in the Metrics table, with dayShard and ts. */
    private static void putInMetricsTable(String session, String device, String type, Instant at, long durationMs) {
        String id = UUID.randomUUID().toString();
        LocalDate day = known.calendar.dayOf(at);
        Map<String, AttributeValue> item = new HashMap<>();
        MetricItem.METRIC_ID.put(item, id);
        MetricItem.SESSION_ID.put(item, session);
        MetricItem.DEVICE_ID.put(item, device);
        MetricItem.METRIC_TYPE.put(item, type);
        MetricItem.TIMESTAMP.put(item, at);
        MetricItem.DURATION_MS.put(item, durationMs);
        MetricItem.SUCCESS.put(item, false);
        MetricItem.DAY.put(item, day);
        MetricItem.DAY_SHARD.put(item, MetricItem.dayShard(day, session, id, known.config.shards().metrics()));
        MetricItem.TS.put(item, MetricItem.sortKey(at, id));
        MetricItem.RECEIVED_AT.put(item, at);
        known.dynamo.putItem(b -> b.tableName(known.config.tables().metrics()).item(item));
    }

    @Test
    void everyTimingOfTheDay_isReadOnce_whateverItsSessionAndLayout() throws Exception {
        // GIVEN captures of a session whose record never arrives
        String neverArrives = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            put(neverArrives, "kiosk-x", "capture", KnownDay.kst(DAY, 10, i), 1000 + i);
        }
        // app starts outside any session, of two kiosks
        put(null, "kiosk-x", "app_start", KnownDay.kst(DAY, 7, 0), 4000);
        put(null, "kiosk-x", "app_start", KnownDay.kst(DAY, 19, 0), 4200);
        put(null, "kiosk-y", "app_start", KnownDay.kst(DAY, 7, 30), 3900);
        // a session across midnight: one print the day before, two renders on DAY
        String acrossMidnight = UUID.randomUUID().toString();
        put(acrossMidnight, "kiosk-y", "print", KnownDay.kst(DAY.minusDays(1), 23, 59), 9000);
        put(acrossMidnight, "kiosk-y", "render", KnownDay.kst(DAY, 0, 1), 300);
        put(acrossMidnight, "kiosk-y", "render", KnownDay.kst(DAY, 0, 2), 310);
        // timings stored before the change: one in a session that goes on in the new layout, one outside a session
        putInMetricsTable(acrossMidnight, "kiosk-y", "render", KnownDay.kst(DAY, 0, 0), 290);
        putInMetricsTable(null, "kiosk-x", "app_start", KnownDay.kst(DAY, 6, 0), 5000);

        // WHEN the day, and the day before, are aggregated
        var result = known.aggregation().aggregate(DAY, "run-timings", NOW);
        var before = known.aggregation().aggregate(DAY.minusDays(1), "run-timings-before", NOW);

        // THEN each timing is counted once, on its own day, for the kiosk that sent it
        assertEquals(3 + 3 + 2 + 2, result.records().get("performance"));
        assertEquals(1L, before.records().get("performance"));
        JsonNode x = known.summaries.get(DAY, "kiosk-x").orElseThrow().get("performance");
        assertEquals(3, x.get("capture").get("count").asInt());
        assertEquals(3, x.get("app_start").get("count").asInt());
        assertEquals(5000, x.get("app_start").get("max").asInt());
        JsonNode y = known.summaries.get(DAY, "kiosk-y").orElseThrow().get("performance");
        assertEquals(3, y.get("render").get("count").asInt());
        assertEquals(310, y.get("render").get("max").asInt());
        assertEquals(1, y.get("app_start").get("count").asInt());
        assertEquals(false, y.has("print"));
        // AND the archive holds exactly those rows, app starts without a session id
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            String ofDay = " FROM performance WHERE dt = '" + DAY + "'";
            assertEquals(10, sql.count("SELECT count(*)" + ofDay));
            assertEquals(10, sql.count("SELECT count(DISTINCT metricId)" + ofDay));
            assertEquals(4, sql.count("SELECT count(*)" + ofDay + " AND metricType = 'app_start' AND sessionId IS NULL"));
        }
    }
}
