package kiosk.telemetry.session;

import kiosk.telemetry.core.bind.Binder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.error.StorageFaults;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session of an already aggregated day marks the day under every retry path, on a real engine with injected
 * faults: a day-mark write that fails once, a session write that lands but whose answer is lost, and the same
 * for a PATCH. After the kiosk sends again, the day is marked late (and so re-aggregated).
 */
class SessionLateDataRetryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TestClock CLOCK = TestTime.clock();
    private static TelemetryEngines engines;
    private static FaultyDynamo faulty;
    private static DynamoDbClient real;
    private static String dayMarksTable;
    private static String sessionsTable;
    private static SessionService service;
    private static SessionsTable sessions;
    private static DayMarksTable marks;
    private static ReportingCalendar calendar;

    @BeforeAll
    static void start() {
        engines = TelemetryEngines.start(null);
        real = engines.dynamo().client();
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        dayMarksTable = config.tables().dayMarks();
        sessionsTable = config.tables().sessions();
        calendar = new ReportingCalendar(config.reportingZone());
        faulty = new FaultyDynamo(real);
        sessions = new SessionsTable(faulty, new IndexPager(real), calendar, config);
        marks = new DayMarksTable(real, config);
        binder = Binder.standalone(config, CLOCK);
        service = new SessionService(sessions, CLOCK, calendar, config,
                new LateDataMarks(new DayMarksTable(faulty, config), calendar, CLOCK),
                new Emf("KioskTelemetry", "test", CLOCK, null),
                new LiveTotals(new LiveTotalsTable(real, config), calendar, CLOCK, new Emf("KioskTelemetry", "test", CLOCK, null),
                        config.live().markCache()));
    }

    @AfterAll
    static void stop() {
        real.close();
        engines.close();
    }

    private static Binder binder;

    private static SessionService.Created create(ObjectNode body) {
        return service.create(KIOSK, binder.bind(body, NewSessionRequest.class)).body();
    }

    private static SessionService.Applied update(String id, ObjectNode patch) {
        return service.update(KIOSK, id, binder.bind(patch, SessionPatchRequest.class));
    }

    private static final Device KIOSK = Registry.device("kiosk-late", "s", "g", "KR", CLOCK.instant());

    /** A new session started on an already aggregated reporting day {@code daysAgo} days back. */
    private static ObjectNode lateSession(int daysAgo) {
        Instant startedAt = CLOCK.instant().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        marks.markAggregationStarted(calendar.dayOf(startedAt), CLOCK.instant().minus(daysAgo - 1, ChronoUnit.DAYS));
        return MAPPER.createObjectNode().put("sessionId", UUID.randomUUID().toString()).put("startedAt", startedAt.toString());
    }

    private static LocalDate dayOf(ObjectNode session) {
        return calendar.dayOf(Instant.parse(session.get("startedAt").asText()));
    }

    private static void assertTemporary(Runnable call) {
        SdkException e = assertThrows(SdkException.class, call::run);
        assertTrue(StorageFaults.isTemporary(e), "answered 503 with Retry-After: " + e);
    }

    @Test
    void aDayMarkThatFailsOnce_failsTheCreateBeforeTheSessionIsWritten_andTheResendMarksTheDay() {
        ObjectNode body = lateSession(4);
        String id = body.get("sessionId").asText();
        faulty.throttle(put -> false, FaultyDynamo.firstTimes(1, update -> update.tableName().equals(dayMarksTable)));

        assertTemporary(() -> create(body));
        assertFalse(sessions.get(id).isPresent(), "nothing written");

        assertTrue(create(body).created());
        assertTrue(marks.lateDays().contains(dayOf(body)));
    }

    @Test
    void aCreateWhoseWriteLandedButWhoseAnswerWasLost_marksTheDay_whenSentAgain() {
        ObjectNode body = lateSession(5);
        faulty.loseAnswer(put -> put.tableName().equals(sessionsTable), update -> update.tableName().equals(sessionsTable));
        try {
            assertTemporary(() -> create(body));
        } finally {
            faulty.heal();
        }

        assertFalse(create(body).created(), "a duplicate now");
        assertTrue(marks.lateDays().contains(dayOf(body)));
    }

    @Test
    void aPatchWhoseWriteLandedButWhoseAnswerWasLost_marksTheDay_whenSentAgain() {
        // GIVEN a late session whose day was re-aggregated since it arrived
        ObjectNode body = lateSession(7);
        String id = body.get("sessionId").asText();
        create(body);
        marks.clearLate(dayOf(body), CLOCK.instant().plusSeconds(60));
        assertFalse(marks.lateDays().contains(dayOf(body)));

        // WHEN a PATCH of it lands but its answer is lost, and the kiosk sends it again
        ObjectNode patch = MAPPER.createObjectNode().put("seq", 1).put("status", "in_progress");
        faulty.loseAnswer(put -> put.tableName().equals(sessionsTable), update -> update.tableName().equals(sessionsTable));
        try {
            assertTemporary(() -> update(id, patch));
        } finally {
            faulty.heal();
        }
        assertFalse(update(id, patch).applied(), "already applied");

        // THEN the day is marked late again
        assertTrue(marks.lateDays().contains(dayOf(body)));
    }
}
