package kiosk.telemetry.events;

import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.error.Answers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.engines.FaultyDynamo;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The session-day entry is written before a batch's events, on a real engine with injected faults: when the entry
 * cannot be written nothing is, and when the events cannot be written after it (a crash between the two) the
 * kiosk's resend stores them and they are found by device; a resend writes no second entry.
 */
class SessionDayEntryTest {

    private static final TestClock CLOCK = TestTime.clock();
    private static final Instant NOW = CLOCK.instant();

    private static TelemetryEngines engines;
    private static DynamoDbClient real;
    private static FaultyDynamo faulty;
    private static TelemetryConfig config;
    private static ReportingCalendar calendar;
    private static String directory;
    private static String eventsTable;

    private EventBatchService service;
    private EventsTable events;

    @BeforeAll
    static void start() {
        engines = TelemetryEngines.start(null);
        real = engines.dynamo().client();
        config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
        calendar = new ReportingCalendar(config.reportingZone());
        directory = config.tables().eventSessionDays();
        eventsTable = config.tables().events();
        faulty = new FaultyDynamo(real);
    }

    @AfterAll
    static void stop() {
        real.close();
        engines.close();
    }

    @AfterEach
    void heal() {
        faulty.heal();
    }

    /** A function instance as deployed (a fresh one has written no entry yet), writing through the faulty client. */
    private void freshInstance() {
        events = new EventsTable(faulty, new IndexPager(real), calendar, config);
        var batches = new BatchIngest(Binder.standalone(config, CLOCK), new SessionOwners(real, config), new ConditionalBatchWriter(8, Duration.ofSeconds(10)),
                new LateDataMarks(new DayMarksTable(real, config), calendar, CLOCK), calendar, CLOCK, config,
                new Emf("KioskTelemetry", "test", CLOCK, null),
                new LiveTotals(new LiveTotalsTable(real, config), calendar, CLOCK, new Emf("KioskTelemetry", "test", CLOCK, null), config.live().markCache()));
        service = new EventBatchService(events, batches, calendar, CLOCK, config);
    }

    private static ObjectNode body(String session, int count) {
        ObjectNode body = Kiosk.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("events");
        for (int i = 0; i < count; i++) {
            arr.add(Kiosk.event(session, i, NOW.minusSeconds(600 - i)));
        }
        return body;
    }

    private int listedForDevice(String deviceId) {
        var q = ListQuery.on("events").filter("deviceId", deviceId).limit(null, 50, 500).build();
        return service.list(q).items().size();
    }

    private static Device kiosk() {
        return Registry.device("kiosk-" + UUID.randomUUID().toString().substring(0, 8), "s", "g", "KR", NOW);
    }

    @Test
    void anEntryThatCannotBeWritten_answers503_andNoEventIsStored() {
        freshInstance();
        Device device = kiosk();
        String session = UUID.randomUUID().toString();
        faulty.throttle(FaultyDynamo.firstTimes(1, put -> put.tableName().equals(directory)), update -> false);

        ApiException e = assertThrows(ApiException.class, () -> ingest(device, body(session, 3)));

        assertEquals(503, e.status());
        assertEquals(List.of(0, 1, 2), e.extensions().get("retry"));
        assertEquals(0, events.ofSession(session, 10, null, "s").items().size(), "no event without its entry");
        assertEquals(3, ingest(device, body(session, 3)).accepted());
        assertEquals(3, listedForDevice(device.deviceId()));
    }

    @Test
    void eventsNotWrittenAfterTheirEntry_areStoredByTheResend_andFoundByDevice_withNoSecondEntry() {
        // GIVEN an instance whose event writes fail after the entry was written (as a crash between the two)
        freshInstance();
        Device device = kiosk();
        String session = UUID.randomUUID().toString();
        faulty.throttle(put -> put.tableName().equals(eventsTable), update -> false);
        ApiException e = assertThrows(ApiException.class, () -> ingest(device, body(session, 4)));
        assertEquals(503, e.status());
        assertEquals(List.of(0, 1, 2, 3), e.extensions().get("retry"));

        // WHEN the kiosk sends the batch again to another, fresh instance, counting the entry writes it tries
        freshInstance();
        AtomicInteger entryPuts = new AtomicInteger();
        faulty.throttle(put -> {
            if (put.tableName().equals(directory)) {
                entryPuts.incrementAndGet();
            }
            return false;
        }, update -> false);
        BatchResult resend = ingest(device, body(session, 4));

        // THEN every event is stored and listed for the device; the entry was only checked, not written again
        assertEquals(4, resend.accepted());
        assertEquals(4, listedForDevice(device.deviceId()));
        assertEquals(1, entryPuts.get(), "one conditional put, refused because the entry exists");

        // AND a further resend to the same warm instance does not touch the entry at all
        assertEquals(4, ingest(device, body(session, 4)).duplicates());
        assertEquals(1, entryPuts.get());
    }

    /** The batch answer as the resource gives it: the result, or the 503/400 problem. */
    private BatchResult ingest(Device device, ObjectNode body) {
        return Answers.batch(service.ingest(device, body));
    }
}
