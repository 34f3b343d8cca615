package kiosk.telemetry.events;

import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.error.Answers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.FaultyDynamo;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Throttled writes, on a real engine: a DynamoDB client that refuses the puts of chosen events makes the batch
 * answer 503 with exactly those indexes in {@code retry}; sending those items again completes the batch.
 */
class EventBatchThrottlingTest {

    private static TelemetryEngines engines;
    private static DynamoDbClient real;
    private static FaultyDynamo throttling;
    private static EventBatchService service;
    private static EventsTable table;
    private static final TestClock CLOCK = TestTime.clock();

    @BeforeAll
    static void start() {
        engines = TelemetryEngines.start(null);
        real = engines.dynamo().client();
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        ReportingCalendar calendar = new ReportingCalendar(config.reportingZone());
        throttling = new FaultyDynamo(real);
        table = new EventsTable(throttling, new IndexPager(throttling), calendar, config);
        var batches = new kiosk.telemetry.core.batch.BatchIngest(Binder.standalone(config, CLOCK), new SessionOwners(real, config),
                new ConditionalBatchWriter(8, Duration.ofSeconds(10)),
                new LateDataMarks(new DayMarksTable(real, config), calendar, CLOCK), calendar, CLOCK, config,
                new kiosk.telemetry.core.metrics.Emf("KioskTelemetry", "test", CLOCK, null),
                new kiosk.telemetry.core.live.LiveTotals(new kiosk.telemetry.core.dynamo.LiveTotalsTable(real, config), calendar, CLOCK,
                        new kiosk.telemetry.core.metrics.Emf("KioskTelemetry", "test", CLOCK, null), config.live().markCache()));
        service = new EventBatchService(table, batches, calendar, CLOCK, config);
    }

    @AfterAll
    static void stop() {
        real.close();
        engines.close();
    }

    private static ObjectNode body(String session, List<Integer> seqs) {
        ObjectNode body = Kiosk.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("events");
        Instant t = CLOCK.instant().minusSeconds(30);
        seqs.forEach(s -> arr.add(Kiosk.event(session, s, t.plusMillis(s))));
        return body;
    }

    @Test
    void throttledWrites_are503WithExactlyThoseIndexes_andAResendCompletesTheBatch() {
        Device kiosk = Registry.device("kiosk-throttle", "s", "g", "KR", CLOCK.instant());
        String session = UUID.randomUUID().toString();
        throttling.throttle(put -> {
            Long seq = EventItem.SEQUENCE_NO.get(put.item());
            return seq != null && List.of(2L, 5L, 7L).contains(seq);
        }, update -> false);

        ApiException e = assertThrows(ApiException.class, () -> ingest(kiosk, body(session, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))));
        assertEquals(503, e.status());
        assertEquals(List.of(2, 5, 7), e.extensions().get("retry"));
        assertEquals(7, e.extensions().get("accepted"));
        assertEquals(0, e.extensions().get("duplicates"));

        throttling.heal();
        BatchResult resend = ingest(kiosk, body(session, List.of(2, 5, 7)));
        assertEquals(3, resend.accepted());
        BatchResult again = ingest(kiosk, body(session, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        assertEquals(0, again.accepted());
        assertEquals(10, again.duplicates());
        assertEquals(10, table.ofSession(session, 500, null, "s").items().size());
    }

    /** The batch answer as the resource gives it: the result, or the 503/400 problem. */
    private static BatchResult ingest(Device device, ObjectNode body) {
        return Answers.batch(service.ingest(device, body));
    }
}
