package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.events.Event;
import kiosk.telemetry.events.EventsTable;
import kiosk.telemetry.core.dynamo.IndexPager;
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
 * The nightly run finds every event of a day through the session-day directory: events whose session never
 * arrives, a session across midnight (each day gets its own events), a session sent by two kiosks, and events
 * stored before the directory existed (old layout, found through the old day index), each read exactly once.
 */
class EventDaysTest {

    private static final LocalDate KNOWN = KnownDay.TODAY.minusDays(3);
    private static final LocalDate DAY = KNOWN.minusDays(5);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static KnownDay known;
    private static EventsTable events;

    @BeforeAll
    static void start() {
        known = new KnownDay(KNOWN);
        events = new EventsTable(known.dynamo, new IndexPager(known.dynamo), known.calendar, known.config);
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    private static void put(String session, long seq, String device, String type, Instant at) {
        events.putIfAbsent(new Event(session, seq, device, null, null, null, type, at, null, null, at));
    }

    /** An event as the function stored it before the session-day directory: with dayShard and ts, no entry. */
    private static void putOldLayout(String session, long seq, String device, String type, Instant at) {
        LocalDate day = known.calendar.dayOf(at);
        Map<String, AttributeValue> item = new HashMap<>();
        EventItem.SESSION_ID.put(item, session);
        EventItem.SEQUENCE_NO.put(item, seq);
        EventItem.DEVICE_ID.put(item, device);
        EventItem.EVENT_TYPE.put(item, type);
        EventItem.TIMESTAMP.put(item, at);
        EventItem.DAY.put(item, day);
        EventItem.LEGACY_DAY_SHARD.put(item, DayShards.keyFor(day, session, known.config.shards().events()));
        EventItem.LEGACY_TS.put(item, EventItem.sortKey(at, session, seq));
        EventItem.RECEIVED_AT.put(item, at);
        known.dynamo.putItem(b -> b.tableName(known.config.tables().events()).item(item));
    }

    @Test
    void everyEventOfTheDay_isReadOnce_whateverItsSessionAndLayout() throws Exception {
        // GIVEN events-only sessions (no session record ever arrives) of two kiosks on DAY
        String onlyEvents = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            put(onlyEvents, i, "kiosk-x", "tap", KnownDay.kst(DAY, 10, i));
        }
        // a session across midnight: 2 events the day before, 3 on DAY
        String acrossMidnight = UUID.randomUUID().toString();
        put(acrossMidnight, 0, "kiosk-y", "tap", KnownDay.kst(DAY.minusDays(1), 23, 58));
        put(acrossMidnight, 1, "kiosk-y", "tap", KnownDay.kst(DAY.minusDays(1), 23, 59));
        for (int i = 2; i < 5; i++) {
            put(acrossMidnight, i, "kiosk-y", "scroll", KnownDay.kst(DAY, 0, i));
        }
        // one session id sent by two kiosks (its record never arrived, so nothing refused either)
        String shared = UUID.randomUUID().toString();
        put(shared, 0, "kiosk-x", "tap", KnownDay.kst(DAY, 12, 0));
        put(shared, 1, "kiosk-y", "tap", KnownDay.kst(DAY, 12, 1));
        // events stored before the change: a session wholly in the old layout, and one continued after the change
        String old = UUID.randomUUID().toString();
        putOldLayout(old, 0, "kiosk-x", "back", KnownDay.kst(DAY, 8, 0));
        putOldLayout(old, 1, "kiosk-x", "back", KnownDay.kst(DAY, 8, 1));
        String continued = UUID.randomUUID().toString();
        putOldLayout(continued, 0, "kiosk-y", "select", KnownDay.kst(DAY, 9, 0));
        put(continued, 1, "kiosk-y", "select", KnownDay.kst(DAY, 9, 1));

        // WHEN the day, and the day before, are aggregated
        var result = known.aggregation().aggregate(DAY, "run-events", NOW);
        var before = known.aggregation().aggregate(DAY.minusDays(1), "run-before", NOW);

        // THEN each event is counted once, on its own day, for the kiosk that sent it
        assertEquals(5 + 3 + 2 + 2 + 2, result.records().get("events"));
        assertEquals(2L, before.records().get("events"));
        assertEquals("{\"total\":8,\"byType\":{\"back\":2,\"tap\":6}}", known.summaries.get(DAY, "kiosk-x").orElseThrow().get("events").toString());
        assertEquals("{\"total\":6,\"byType\":{\"scroll\":3,\"select\":2,\"tap\":1}}",
                known.summaries.get(DAY, "kiosk-y").orElseThrow().get("events").toString());
        // AND the archive holds exactly those rows
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            String ofDay = " FROM events WHERE dt = '" + DAY + "'";
            assertEquals(14, sql.count("SELECT count(*)" + ofDay));
            assertEquals(14, sql.count("SELECT count(DISTINCT sessionId || '#' || sequenceNo)" + ofDay));
        }
    }
}
