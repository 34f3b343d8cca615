package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.store.DeviceItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.dynamo.DevicesTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The day's rollups, written in the same run as the device summaries ({@link KnownDay}: kiosk-a in store-12, kiosk-b without). */
class RollupsTest {

    private static final LocalDate DAY = KnownDay.TODAY.minusDays(4);

    private KnownDay known;
    private DailyRollupsTable rollups;

    @BeforeEach
    void aDay() {
        known = new KnownDay(DAY);
        rollups = new DailyRollupsTable(known.dynamo, known.config.tables().dailyRollups());
        known.aggregation().aggregate(DAY, "run-1", Instant.parse("2026-01-01T00:00:00Z"));
    }

    @AfterEach
    void stop() {
        known.close();
    }

    private JsonNode rollup(Rollups.ScopeType type, String id) {
        return rollups.get(DAY, type == Rollups.ScopeType.fleet ? Rollups.Scope.FLEET : new Rollups.Scope(type, id))
                .orElseThrow(() -> new AssertionError("no rollup " + type + " " + id));
    }

    @Test
    void theFleetRollup_sumsEveryDevice_andEachScopeKindAddsUpToIt() {
        JsonNode fleet = rollup(Rollups.ScopeType.fleet, null);
        assertEquals("{}", fleet.get("scope").toString());
        assertEquals(2, fleet.at("/devices/reporting").asInt());
        assertEquals(2, fleet.at("/devices/active").asInt());
        assertEquals(5, fleet.at("/sessions/total").asInt(), "kiosk-a's 4 sessions of the day and kiosk-b's 1");
        assertEquals(3, fleet.at("/sessions/byStatus/completed").asInt());
        assertEquals(0.6, fleet.at("/sessions/conversionRate").asDouble());
        assertEquals("12727", fleet.at("/sales/byCurrency/KRW/net").asText());
        assertEquals("11", fleet.at("/sales/byCurrency/USD/net").asText());
        assertEquals(101, fleet.at("/performance/capture/count").asInt() + fleet.at("/performance/print/count").asInt());
        assertEquals(500, fleet.at("/performance/capture/p50").asLong(), 5);
        assertEquals(97, fleet.at("/performance/capture/successes").asLong());
        assertEquals(9, fleet.at("/events/total").asInt());

        JsonNode store = rollup(Rollups.ScopeType.store, "store-12");
        JsonNode unknown = rollup(Rollups.ScopeType.store, "unknown");
        assertEquals("{\"storeId\":\"store-12\"}", store.get("scope").toString());
        assertEquals(4, store.at("/sessions/total").asInt());
        assertEquals(1, unknown.at("/sessions/total").asInt());
        assertEquals(1, store.at("/devices/reporting").asInt());
        assertEquals(fleet.at("/sessions/total").asInt(), rollup(Rollups.ScopeType.country, "KR").at("/sessions/total").asInt()
                + rollup(Rollups.ScopeType.country, "unknown").at("/sessions/total").asInt());
        assertEquals(4, rollup(Rollups.ScopeType.group, "grp-seoul").at("/sessions/total").asInt());
    }

    @Test
    void aReRun_writesTheSameRollups_andDropsTheScopeADeviceLeft() throws Exception {
        JsonNode before = rollup(Rollups.ScopeType.store, "store-12");
        known.aggregation().aggregate(DAY, "run-2", Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(before, rollup(Rollups.ScopeType.store, "store-12"), "same records, same rollup");

        // kiosk-a moves to store-99: its day's figures follow it at the next run, and store-12 has no rollup left
        var devices = new DevicesTable(known.dynamo, known.config.tables().devices());
        known.dynamo.updateItem(b -> b.tableName(known.config.tables().devices())
                .key(DeviceItem.DEVICE_ID.key("kiosk-a"))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", DeviceItem.STORE_ID.name()))
                .expressionAttributeValues(Map.of(":s", DeviceItem.STORE_ID.value("store-99"))));
        assertEquals("store-99", devices.get("kiosk-a").map(Device::storeId).orElseThrow());
        known.aggregation().aggregate(DAY, "run-3", Instant.parse("2026-01-01T00:00:00Z"));
        assertTrue(rollups.get(DAY, new Rollups.Scope(Rollups.ScopeType.store, "store-12")).isEmpty());
        assertEquals(4, rollup(Rollups.ScopeType.store, "store-99").at("/sessions/total").asInt());

        // and the archive's daily_rollup holds one row per rollup of the day, scope as columns
        try (ArchiveSql sql = new ArchiveSql(known.downloadArchive())) {
            List<List<String>> rows = sql.rows("SELECT scopeType, scopeId, json_extract_scalar(sessions, '$.total') FROM daily_rollup"
                    + " WHERE dt = '" + DAY + "' ORDER BY scopeType, scopeId");
            assertEquals(List.of(
                    List.of("country", "KR", "4"), List.of("country", "unknown", "1"),
                    List.of("fleet", "null", "5"),
                    List.of("group", "grp-seoul", "4"), List.of("group", "unknown", "1"),
                    List.of("store", "store-99", "4"), List.of("store", "unknown", "1")), rows);
        }
    }

    @Test
    void rollupsAreFarBelowTheItemLimit() {
        ObjectNode fleet = (ObjectNode) rollup(Rollups.ScopeType.fleet, null);
        assertTrue(fleet.toString().length() < 20_000, fleet.toString().length() + " characters");
    }
}
