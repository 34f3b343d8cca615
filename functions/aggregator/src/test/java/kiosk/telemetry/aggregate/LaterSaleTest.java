package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static kiosk.telemetry.aggregate.KnownDay.kst;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A sale after midnight of a session that started before it: the sale is the next day's (its sales, its hour), but its
 * net counts in the experiments of the session's day, also when it arrives after that day was summarised.
 */
class LaterSaleTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(20);
    private static final Device KIOSK = Registry.device("late-sale-kiosk", "store-l", null, "KR", Instant.EPOCH);

    private static KnownDay known;
    private static KioskTraffic traffic;

    @BeforeAll
    static void start() {
        known = new KnownDay(KnownDay.TODAY.minusDays(2));
        traffic = new KioskTraffic(known, kst(DAY, 23, 50));
    }

    @AfterAll
    static void stop() {
        known.close();
    }

    @Test
    void aSaleAfterMidnight_countsInItsSessionsDaysExperiments_evenWhenItArrivesAfterTheRun() {
        String early = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        traffic.session(KIOSK, early, kst(DAY, 23, 50), "{\"frameLayout\":\"B\"}");
        traffic.session(KIOSK, late, kst(DAY, 23, 55), "{\"frameLayout\":\"B\"}");
        traffic.clock.set(kst(DAY.plusDays(1), 0, 3));
        traffic.sale(KIOSK, UUID.randomUUID().toString(), early, kst(DAY.plusDays(1), 0, 2), "KRW", "card",
                "{\"gross\":5000,\"discount\":0,\"tax\":454.55,\"net\":4545.45}");

        RunService nightly = known.runService(traffic.clock, known.s3, line -> { });
        traffic.clock.set(kst(DAY.plusDays(1), 0, 5));
        run(nightly, DAY);
        JsonNode day = known.summaries.get(DAY, KIOSK.deviceId()).orElseThrow();
        assertEquals(0, day.at("/sales/count").asLong(), "the sale is the next day's");
        assertEquals("4545.45", day.at("/experiments/frameLayout/B/net/KRW").asText(), "but its net is the session's day's experiment's");

        // the second session's sale arrives after the night's run: its day is marked late and summarised again
        traffic.clock.set(kst(DAY.plusDays(1), 9, 0));
        traffic.sale(KIOSK, UUID.randomUUID().toString(), late, kst(DAY.plusDays(1), 0, 20), "KRW", "cash",
                "{\"gross\":1000,\"discount\":0,\"tax\":0,\"net\":1000}");
        assertEquals(List.of(DAY), new DayMarksTable(known.dynamo, known.config).lateDays());
        traffic.clock.set(kst(DAY.plusDays(2), 0, 5));
        run(nightly, DAY.plusDays(1));
        day = known.summaries.get(DAY, KIOSK.deviceId()).orElseThrow();
        assertEquals("5545.45", day.at("/experiments/frameLayout/B/net/KRW").asText());
        JsonNode next = known.summaries.get(DAY.plusDays(1), KIOSK.deviceId()).orElseThrow();
        assertEquals(2, next.at("/sales/count").asLong());
        assertEquals("5545.45", next.at("/sales/byCurrency/KRW/net").asText());
        assertEquals("{}", next.get("experiments").toString(), "no session of the next day carried experiments");
    }

    private static void run(RunService runs, LocalDate date) {
        var started = runs.startManual(KnownDay.aggregate(JsonNodeFactory.instance.objectNode().put("date", date.toString())));
        assertEquals("succeeded", runs.execute(started.runId()).status());
    }
}
