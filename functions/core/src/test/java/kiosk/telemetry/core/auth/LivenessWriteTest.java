package kiosk.telemetry.core.auth;

import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.FaultyDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A throttled lastSeenAt write never fails the request whose records are already stored; the next request writes it. */
class LivenessWriteTest {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient real;

    @BeforeAll
    static void start() {
        engine = EmbeddedDynamo.start(0, null);
        real = engine.client();
        EmbeddedDynamo.createTables(real, TableDefinitions.from(SamTemplate.fromClasspath(), "telemetry-"));
    }

    @AfterAll
    static void stop() {
        real.close();
        engine.close();
    }

    @Test
    void aThrottledLivenessWrite_isSwallowed_andTheNextRequestWritesIt() {
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
        FaultyDynamo faulty = new FaultyDynamo(real);
        DevicesTable devices = new DevicesTable(faulty, config.tables().devices());
        devices.create(new Device("kiosk-live", null, null, null, "h", Instant.parse("2026-12-01T00:00:00Z"), null, null));
        Clock clock = new TestClock(Instant.parse("2026-12-02T03:00:00Z"));
        DeviceDirectory directory = new DeviceDirectory(devices, clock, config);

        faulty.throttle(put -> false, FaultyDynamo.firstTimes(1, update -> true));
        assertDoesNotThrow(() -> directory.seen("kiosk-live"));
        assertNull(devices.get("kiosk-live").orElseThrow().lastSeenAt());

        directory.seen("kiosk-live");
        assertEquals(clock.instant(), devices.get("kiosk-live").orElseThrow().lastSeenAt());
    }
}
