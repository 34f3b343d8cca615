package kiosk.telemetry.local;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import kiosk.telemetry.engines.TelemetryEngines;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;

/**
 * The whole backend on this machine: DynamoDB Local and s3proxy in-process (tables and bucket from
 * template.yaml), then every function's routes on plain HTTP at 127.0.0.1:{@code TELEMETRY_PORT} (8080).
 * Data lives under {@code TELEMETRY_DATA_DIR} (./.local-data), or in memory with {@code TELEMETRY_IN_MEMORY=true}.
 * DynamoDB Local runs in memory either way; with a data directory its items are saved to a snapshot there
 * after writes (at most every {@code TELEMETRY_SNAPSHOT_EVERY}, PT30S) and when the stack stops, and loaded at
 * start. {@code TELEMETRY_DYNAMO_STORE=file} uses DynamoDB Local's own file store instead (docs/runbook.md).
 */
@QuarkusMain
public final class LocalStack {

    private static final Logger LOG = Logger.getLogger(LocalStack.class);

    private LocalStack() {
    }

    public static void main(String... args) {
        boolean inMemory = Boolean.parseBoolean(env("TELEMETRY_IN_MEMORY", "false"));
        Path dataDir = inMemory ? null : Paths.get(env("TELEMETRY_DATA_DIR", ".local-data")).toAbsolutePath();
        TelemetryEngines.DynamoStore store = dynamoStore(env("TELEMETRY_DYNAMO_STORE", "snapshot"));
        Duration snapshotEvery = Duration.parse(env("TELEMETRY_SNAPSHOT_EVERY", "PT30S"));
        long t0 = System.nanoTime();
        TelemetryEngines engines = TelemetryEngines.start(dataDir, store);
        engines.saveSnapshotsEvery(snapshotEvery);
        running = engines;
        engines.quarkusConfig().forEach(System::setProperty);
        System.setProperty("quarkus.http.port", env("TELEMETRY_PORT", "8080"));
        LOG.infof("embedded engines up in %d ms: DynamoDB Local %s, S3 %s, data %s", (System.nanoTime() - t0) / 1_000_000,
                engines.dynamo().endpoint(), engines.s3().endpoint(), describe(dataDir, engines));
        int code = 0;
        try {
            Quarkus.run(args);
        } catch (RuntimeException e) {
            LOG.error("local stack failed", e);
            code = 1;
        } finally {
            engines.close();
        }
        // DynamoDB Local leaves non-daemon threads behind: exit explicitly.
        System.exit(code);
    }

    /** The engines this process started, for {@link SnapshotAtShutdown}. */
    static TelemetryEngines running() {
        return running;
    }

    private static TelemetryEngines running;

    private static String describe(Path dataDir, TelemetryEngines engines) {
        if (dataDir == null) {
            return "in memory";
        }
        return engines.snapshotFile() == null ? dataDir + " (DynamoDB Local's file store)"
                : dataDir + " (DynamoDB in memory, saved to " + engines.snapshotFile() + ")";
    }

    private static TelemetryEngines.DynamoStore dynamoStore(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "snapshot" -> TelemetryEngines.DynamoStore.SNAPSHOT;
            case "file" -> TelemetryEngines.DynamoStore.FILE;
            default -> throw new IllegalArgumentException("TELEMETRY_DYNAMO_STORE is '" + value + "': use snapshot (the default) or file");
        };
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
