package kiosk.telemetry.engines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The local stack's default DynamoDB store: in memory, kept across restarts by a snapshot in the data directory. */
class DynamoSnapshotTest {

    private static final String DEVICES = TelemetryEngines.TABLE_PREFIX + "devices";
    private static final String SESSIONS = TelemetryEngines.TABLE_PREFIX + "sessions";

    @TempDir
    Path dataDir;

    /** An item with a value of every DynamoDB type, nested, and a string longer than {@code writeUTF} can hold. */
    private static Map<String, AttributeValue> everyType(String id) {
        return Map.ofEntries(
                Map.entry("deviceId", AttributeValue.fromS(id)),
                Map.entry("n", AttributeValue.fromN("12345678901234567890.0000000001")),
                Map.entry("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[]{0, 1, -1, 127}))),
                Map.entry("yes", AttributeValue.fromBool(true)),
                Map.entry("nothing", AttributeValue.fromNul(true)),
                Map.entry("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(
                        AttributeValue.fromS("한글 ✓"), AttributeValue.fromN("-1"), AttributeValue.fromM(Map.of())))))),
                Map.entry("ss", AttributeValue.fromSs(List.of("a", "b"))),
                Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5"))),
                Map.entry("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y")))),
                Map.entry("long", AttributeValue.fromS("z".repeat(100_000))));
    }

    private static DynamoDbClient counted(TelemetryEngines engines) {
        return engines.dynamo().clientBuilder()
                .overrideConfiguration(c -> c.addExecutionInterceptor(new DynamoWrites())).build();
    }

    @Test
    void itemsWrittenBeforeStop_areThereAfterRestart_withEveryTypeIntact() {
        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = counted(engines)) {
            d.putItem(b -> b.tableName(DEVICES).item(everyType("kiosk-1")));
            d.putItem(b -> b.tableName(DEVICES).item(Map.of("deviceId", AttributeValue.fromS("kiosk-2"))));
            d.putItem(b -> b.tableName(SESSIONS).item(Map.of("sessionId", AttributeValue.fromS("s-1"), "status", AttributeValue.fromS("started"))));
        }
        assertTrue(Files.exists(dataDir.resolve(TelemetryEngines.SNAPSHOT_FILE)), "stopping saved the snapshot");

        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = engines.dynamo().client()) {
            Map<String, AttributeValue> back = d.getItem(b -> b.tableName(DEVICES).key(Map.of("deviceId", AttributeValue.fromS("kiosk-1")))).item();
            assertEquals(everyType("kiosk-1"), back);
            assertEquals(2, d.scan(b -> b.tableName(DEVICES)).count());
            assertEquals("started", d.getItem(b -> b.tableName(SESSIONS).key(Map.of("sessionId", AttributeValue.fromS("s-1"))))
                    .item().get("status").s());
        }
    }

    @Test
    void aSaveWithoutWrites_isSkipped_andAWriteMakesTheNextOneSave() {
        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = counted(engines)) {
            assertTrue(engines.saveSnapshotIfChanged().isEmpty(), "nothing written since start: no scan, no file");
            assertFalse(Files.exists(dataDir.resolve(TelemetryEngines.SNAPSHOT_FILE)));

            d.putItem(b -> b.tableName(DEVICES).item(Map.of("deviceId", AttributeValue.fromS("kiosk-1"))));
            assertEquals(1, engines.saveSnapshotIfChanged().orElseThrow().perTable().get(DEVICES));
            assertTrue(engines.saveSnapshotIfChanged().isEmpty(), "saved already");

            d.deleteItem(b -> b.tableName(DEVICES).key(Map.of("deviceId", AttributeValue.fromS("kiosk-1"))));
            assertEquals(0, engines.saveSnapshotIfChanged().orElseThrow().perTable().get(DEVICES), "a delete is a change too");
        }
    }

    @Test
    void anEarlierFileStore_isMovedIntoTheSnapshot_once() {
        try (TelemetryEngines engines = TelemetryEngines.start(dataDir, TelemetryEngines.DynamoStore.FILE); DynamoDbClient d = engines.dynamo().client()) {
            assertEquals(null, engines.snapshotFile());
            d.putItem(b -> b.tableName(DEVICES).item(everyType("kiosk-from-file-store")));
        }
        assertTrue(Files.exists(dataDir.resolve("dynamodb").resolve(TelemetryEngines.FILE_STORE_DB)));

        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = engines.dynamo().client()) {
            assertEquals(everyType("kiosk-from-file-store"),
                    d.getItem(b -> b.tableName(DEVICES).key(Map.of("deviceId", AttributeValue.fromS("kiosk-from-file-store")))).item());
        }
        assertTrue(Files.exists(dataDir.resolve(TelemetryEngines.SNAPSHOT_FILE)));
        assertFalse(Files.exists(dataDir.resolve("dynamodb")), "the old store is renamed so it is not read again");
        assertTrue(Files.exists(dataDir.resolve("dynamodb.moved-to-snapshot").resolve(TelemetryEngines.FILE_STORE_DB)));

        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = engines.dynamo().client()) {
            assertEquals(1, d.scan(b -> b.tableName(DEVICES)).count(), "the second start reads the snapshot");
        }
    }

    @Test
    void aSnapshotCutShort_stopsTheStart_withTheReason() throws Exception {
        try (TelemetryEngines engines = TelemetryEngines.start(dataDir); DynamoDbClient d = counted(engines)) {
            d.putItem(b -> b.tableName(DEVICES).item(everyType("kiosk-1")));
        }
        Path file = dataDir.resolve(TelemetryEngines.SNAPSHOT_FILE);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TelemetryEngines.start(dataDir).close());
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }
}
