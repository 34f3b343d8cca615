package kiosk.telemetry.events;

import kiosk.telemetry.core.store.EventItem;
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
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.engines.FaultyDynamo;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late events of an already aggregated day mark it under every retry path, on a real engine with injected
 * faults: a day-mark write that fails once, and an event whose write lands but whose answer is lost. After the
 * kiosk sends again, the day is marked late (and so re-aggregated).
 */
class LateDataRetryTest {

    private static TelemetryEngines engines;
    private static FaultyDynamo faulty;
    private static DynamoDbClient real;
    private static String dayMarksTable;
    private static EventBatchService service;
    private static EventsTable events;
    private static DayMarksTable marks;
    private static ReportingCalendar calendar;
    private static final TestClock CLOCK = TestTime.clock();

    @BeforeAll
    static void start() {
        engines = TelemetryEngines.start(null);
        real = engines.dynamo().client();
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        dayMarksTable = config.tables().dayMarks();
        calendar = new ReportingCalendar(config.reportingZone());
        faulty = new FaultyDynamo(real);
        events = new EventsTable(faulty, new IndexPager(real), calendar, config);
        marks = new DayMarksTable(real, config);
        var batches = new BatchIngest(Binder.standalone(config, CLOCK), new SessionOwners(real, config), new ConditionalBatchWriter(8, Duration.ofSeconds(10)),
                new LateDataMarks(new DayMarksTable(faulty, config), calendar, CLOCK), calendar, CLOCK, config,
                new Emf("KioskTelemetry", "test", CLOCK, null),
                new LiveTotals(new LiveTotalsTable(real, config), calendar, CLOCK, new Emf("KioskTelemetry", "test", CLOCK, null),
                        config.live().markCache()));
        service = new EventBatchService(events, batches, calendar, CLOCK, config);
    }

    @AfterAll
    static void stop() {
        real.close();
        engines.close();
    }

    private static final Device KIOSK = Registry.device("kiosk-late", "s", "g", "KR", CLOCK.instant());

    private static ObjectNode body(ObjectNode... items) {
        ObjectNode body = Kiosk.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("events");
        List.of(items).forEach(arr::add);
        return body;
    }

    /** An instant of an already aggregated reporting day {@code daysAgo} days back. */
    private static Instant aggregatedDay(int daysAgo) {
        Instant t = CLOCK.instant().minus(daysAgo, ChronoUnit.DAYS);
        marks.markAggregationStarted(calendar.dayOf(t), CLOCK.instant().minus(daysAgo - 1, ChronoUnit.DAYS));
        return t;
    }

    @Test
    void aDayMarkThatFailsOnce_answers503WithEveryItemToRetry_writesNothing_andTheResendMarksTheDay() {
        // GIVEN a day already aggregated, and a day-mark write that will be throttled once
        Instant late = aggregatedDay(5);
        LocalDate day = calendar.dayOf(late);
        String session = UUID.randomUUID().toString();
        ObjectNode invalid = Kiosk.event(session, 9, late).put("eventType", "Not A Type");
        faulty.throttle(put -> false, FaultyDynamo.firstTimes(1, update -> update.tableName().equals(dayMarksTable)));

        // WHEN two late events (and one invalid item) arrive
        ApiException e = assertThrows(ApiException.class,
                () -> ingest(KIOSK, body(Kiosk.event(session, 0, late), Kiosk.event(session, 1, late.plusMillis(1)), invalid)));

        // THEN it is our unavailability: 503 with both valid items to send again, the invalid one rejected, nothing stored
        assertEquals(503, e.status());
        assertEquals(List.of(0, 1), e.extensions().get("retry"));
        assertEquals(0, e.extensions().get("accepted"));
        assertEquals(1, ((List<?>) e.extensions().get("rejected")).size());
        assertTrue(events.ofSession(session, 10, null, "s").items().isEmpty());
        assertFalse(marks.lateDays().contains(day));

        // AND the resend is stored and marks the day
        BatchResult resend = ingest(KIOSK, body(Kiosk.event(session, 0, late), Kiosk.event(session, 1, late.plusMillis(1))));
        assertEquals(2, resend.accepted());
        assertTrue(marks.lateDays().contains(day));
    }

    @Test
    void anEventWhoseWriteLandedButWhoseAnswerWasLost_isReportedInRetry_andItsResendMarksTheDay() {
        // GIVEN a day already aggregated, and a late event whose write will land but time out
        Instant late = aggregatedDay(6);
        LocalDate day = calendar.dayOf(late);
        String session = UUID.randomUUID().toString();
        faulty.loseAnswer(put -> Long.valueOf(1).equals(EventItem.SEQUENCE_NO.get(put.item())), update -> false);

        // WHEN it arrives with an event of today
        ApiException e = assertThrows(ApiException.class,
                () -> ingest(KIOSK, body(Kiosk.event(session, 0, CLOCK.instant()), Kiosk.event(session, 1, late))));
        assertEquals(503, e.status());
        assertEquals(List.of(1), e.extensions().get("retry"));

        // AND the kiosk sends the late event again: it is a duplicate now
        faulty.heal();
        BatchResult resend = ingest(KIOSK, body(Kiosk.event(session, 1, late)));
        assertEquals(0, resend.accepted());
        assertEquals(1, resend.duplicates());

        // THEN the day is marked late, and the event is stored once
        assertTrue(marks.lateDays().contains(day));
        assertEquals(2, events.ofSession(session, 10, null, "s").items().size());
    }

    /** The batch answer as the resource gives it: the result, or the 503/400 problem. */
    private static BatchResult ingest(Device device, ObjectNode body) {
        return Answers.batch(service.ingest(device, body));
    }
}
