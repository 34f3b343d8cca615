package kiosk.telemetry.core.auth;

import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
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
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A throttled lastSeenAt write never fails the request whose records are already stored; the next request writes it. */
class LivenessWriteTest {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient real;
    private static final AtomicInteger THROTTLED = new AtomicInteger();

    /** DynamoDB Local, except that the next THROTTLED updates are refused as throttled. */
    static final class ThrottledUpdates implements DynamoDbClient {
        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            if (THROTTLED.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw ProvisionedThroughputExceededException.builder().message("throttled (test)").build();
            }
            return real.updateItem(request);
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return real.getItem(request);
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            return real.putItem(request);
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
        }
    }

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
        DevicesTable devices = new DevicesTable(new ThrottledUpdates(), config.tables().devices());
        devices.create(new Device("kiosk-live", null, null, null, "h", Instant.parse("2026-12-01T00:00:00Z"), null, null));
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:00:00Z"), ZoneOffset.UTC);
        DeviceDirectory directory = new DeviceDirectory(devices, clock, config);

        THROTTLED.set(1);
        assertDoesNotThrow(() -> directory.seen("kiosk-live"));
        assertNull(devices.get("kiosk-live").orElseThrow().lastSeenAt());

        directory.seen("kiosk-live");
        assertEquals(clock.instant(), devices.get("kiosk-live").orElseThrow().lastSeenAt());
    }
}
