package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device registry's conditional writes and index reads, as one contract run against every engine:
 * DynamoDB Local here ({@link DevicesTableTest}), LocalStack with -Plocalstack where Docker runs.
 */
abstract class DevicesTableContract {

    protected abstract DynamoDbClient dynamo();

    /** Creates the template's tables once per engine; returns the devices table name. */
    protected static String createTables(DynamoDbClient dynamo) {
        var tables = TableDefinitions.from(SamTemplate.fromClasspath(), "telemetry-");
        EmbeddedDynamo.createTables(dynamo, tables);
        return tables.stream().filter(t -> t.logicalId().equals("DevicesTable")).findFirst().orElseThrow().defaultName();
    }

    private DevicesTable table() {
        return new DevicesTable(dynamo(), "telemetry-devices");
    }

    private static Device device(String id, String store) {
        return new Device(id, store, "grp", "KR", "hash-" + id, Instant.parse("2025-01-19T00:00:00Z"), null, null);
    }

    @Test
    void create_isConditional_secondRegistrationOfAnIdFails() {
        String id = "dev-" + UUID.randomUUID();
        assertTrue(table().create(device(id, "s1")));
        assertFalse(table().create(device(id, "s2")));
        assertEquals("s1", table().get(id).orElseThrow().storeId());
    }

    @Test
    void touch_writesAtMostOncePerInterval() {
        String id = "dev-" + UUID.randomUUID();
        table().create(device(id, "s1"));
        Instant t0 = Instant.parse("2025-01-19T01:00:00Z");
        assertTrue(table().touch(id, t0, t0.minusSeconds(60)));
        assertFalse(table().touch(id, t0.plusSeconds(30), t0.plusSeconds(30).minusSeconds(60)), "within the minute");
        assertTrue(table().touch(id, t0.plusSeconds(61), t0.plusSeconds(1)), "a minute later");
        assertFalse(table().touch("dev-unknown-" + UUID.randomUUID(), t0, t0), "never creates a device");
    }

    @Test
    void revoke_andReplaceToken_onlyForKnownDevices() {
        String id = "dev-" + UUID.randomUUID();
        table().create(device(id, "s1"));
        Instant t = Instant.parse("2025-01-19T02:00:00Z");
        assertTrue(table().revoke(id, t));
        assertTrue(table().revoke(id, t.plusSeconds(5)));
        assertEquals(t, table().get(id).orElseThrow().revokedAt(), "the first revocation time stays");
        assertFalse(table().revoke("dev-unknown-" + UUID.randomUUID(), t));
        assertEquals(DevicesTable.TokenChange.UNKNOWN, table().replaceToken("dev-unknown-" + UUID.randomUUID(), "x"));
    }

    @Test
    void replaceToken_leavesARevokedDeviceRevoked_restoreLiftsTheRevocation() {
        String id = "dev-" + UUID.randomUUID();
        table().create(device(id, "s1"));
        assertEquals(DevicesTable.TokenChange.CHANGED, table().replaceToken(id, "second-hash"));
        assertEquals("second-hash", table().get(id).orElseThrow().tokenHash());
        assertEquals(DevicesTable.TokenChange.NOT_REVOKED, table().restore(id, "x"), "only a revoked device is restored");

        Instant t = Instant.parse("2025-01-19T02:00:00Z");
        table().revoke(id, t);
        assertEquals(DevicesTable.TokenChange.REVOKED, table().replaceToken(id, "third-hash"));
        assertEquals(t, table().get(id).orElseThrow().revokedAt(), "still revoked");
        assertEquals("second-hash", table().get(id).orElseThrow().tokenHash(), "and its token unchanged");

        assertEquals(DevicesTable.TokenChange.CHANGED, table().restore(id, "restored-hash"));
        assertNull(table().get(id).orElseThrow().revokedAt());
        assertEquals("restored-hash", table().get(id).orElseThrow().tokenHash());
        assertEquals(DevicesTable.TokenChange.UNKNOWN, table().restore("dev-unknown-" + UUID.randomUUID(), "x"));
    }

    @Test
    void listByStore_walksEveryDeviceOnceInIdOrder() {
        String store = "store-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String id = String.format("dev-%s-%02d", store, i);
            table().create(device(id, store));
            ids.add(id);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = table().list(store, null, 4, cursor, "devices|" + store);
            page.items().forEach(it -> seen.add(DevicesTable.toDevice(it).deviceId()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(ids, seen);
    }
}
