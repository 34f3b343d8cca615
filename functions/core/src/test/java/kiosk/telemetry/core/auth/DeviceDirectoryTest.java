package kiosk.telemetry.core.auth;

import io.smallrye.config.WithDefault;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import kiosk.telemetry.engines.TestClock;
import java.time.Duration;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two warm instances over one registry on DynamoDB Local: a revocation or rotation made through one is refused
 * by the other at most 10 s after that one last read the registry, whatever the configured cache time.
 */
class DeviceDirectoryTest {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient dynamo;
    private static DevicesTable table;

    @BeforeAll
    static void start() {
        engine = EmbeddedDynamo.start(0, null);
        dynamo = engine.client();
        EmbeddedDynamo.createTables(dynamo, TableDefinitions.from(SamTemplate.fromClasspath(), "telemetry-"));
        table = new DevicesTable(dynamo, "telemetry-devices");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        engine.close();
    }

    /** The settings DeviceDirectory reads, with this cache time (what {@code telemetry.auth.device-cache-ttl} gives). */
    private static TelemetryConfig config(Duration cacheTtl) {
        TelemetryConfig.Auth auth = (TelemetryConfig.Auth) Proxy.newProxyInstance(TelemetryConfig.class.getClassLoader(),
                new Class<?>[]{TelemetryConfig.Auth.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "deviceCacheTtl" -> cacheTtl;
                    case "lastSeenInterval" -> Duration.ofMinutes(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (TelemetryConfig) Proxy.newProxyInstance(TelemetryConfig.class.getClassLoader(), new Class<?>[]{TelemetryConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("auth")) {
                        return auth;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String register(Instant now) {
        String id = "dev-" + UUID.randomUUID();
        String token = DeviceTokens.issue(id);
        assertTrue(table.create(new Device(id, null, null, null, DeviceTokens.hash(token), now, null, null)));
        return token;
    }

    @Test
    void theDefaultWindow_isTenSeconds_andNoSettingMakesItLonger() throws Exception {
        String configured = TelemetryConfig.Auth.class.getMethod("deviceCacheTtl").getAnnotation(WithDefault.class).value();
        assertEquals(Duration.ofSeconds(10), Duration.parse(configured));
        assertEquals(Duration.ofSeconds(10), DeviceDirectory.MAX_TTL);
    }

    @Test
    void aRevocationThroughOneInstance_isRefusedByAnotherWithinTenSeconds_evenWithALongerConfiguredCache() {
        for (Duration configured : new Duration[]{Duration.ofSeconds(10), Duration.ofSeconds(60)}) {
            TelemetryConfig config = config(configured);
            TestClock clock = new TestClock(Instant.parse("2026-11-02T01:00:00Z"));
            String token = register(clock.instant());
            String id = DeviceTokens.deviceIdOf(token).orElseThrow();
            DeviceDirectory first = new DeviceDirectory(table, clock, config);
            DeviceDirectory second = new DeviceDirectory(table, clock, config);
            Instant lookup = clock.instant();
            assertTrue(second.authenticate(token).isPresent(), "the second instance is warm");

            clock.set(lookup.plusSeconds(1));
            assertTrue(table.revoke(id, clock.instant()));
            first.forget(id);
            assertFalse(first.authenticate(token).isPresent(), configured + ": refused at once where it was revoked");

            clock.set(lookup.plus(Duration.ofSeconds(10)).minusMillis(1));
            assertTrue(second.authenticate(token).isPresent(), configured + ": the other instance's window is its last lookup + 10 s");
            clock.set(lookup.plus(Duration.ofSeconds(10)));
            assertFalse(second.authenticate(token).isPresent(), configured + ": refused 10 s after its last lookup");
        }
    }

    @Test
    void aRotationThroughOneInstance_stopsTheOldTokenInAnotherWithinTenSeconds_andTheNewOneWorksAtOnce() {
        TelemetryConfig config = config(Duration.ofSeconds(60));
        TestClock clock = new TestClock(Instant.parse("2026-11-02T02:00:00Z"));
        String old = register(clock.instant());
        String id = DeviceTokens.deviceIdOf(old).orElseThrow();
        DeviceDirectory first = new DeviceDirectory(table, clock, config);
        DeviceDirectory second = new DeviceDirectory(table, clock, config);
        Instant lookup = clock.instant();
        assertTrue(second.authenticate(old).isPresent());

        String fresh = DeviceTokens.issue(id);
        assertEquals(DevicesTable.TokenChange.CHANGED, table.replaceToken(id, DeviceTokens.hash(fresh)));
        first.forget(id);
        assertTrue(second.authenticate(fresh).isPresent(), "a new token is read from the registry at once");
        clock.set(lookup.plus(Duration.ofSeconds(10)));
        assertFalse(second.authenticate(old).isPresent(), "the old token is refused 10 s after the last lookup");
        assertFalse(first.authenticate(old).isPresent());
    }

}
