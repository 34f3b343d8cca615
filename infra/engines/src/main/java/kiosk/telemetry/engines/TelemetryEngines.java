package kiosk.telemetry.engines;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Both embedded engines, provisioned from {@code template.yaml}: every table created, the archive bucket
 * made. {@link #quarkusConfig()} gives the settings that point the Quarkus clients at them.
 */
public final class TelemetryEngines implements AutoCloseable {

    public static final String TABLE_PREFIX = "telemetry-";
    public static final String ARCHIVE_BUCKET = "telemetry-archive";
    public static final String SNAPSHOT_FILE = "dynamodb.snapshot";
    static final String FILE_STORE_DIR = "dynamodb";
    static final String FILE_STORE_DB = "shared-local-instance.db";

    private static final Logger LOG = Logger.getLogger(TelemetryEngines.class.getName());

    private final EmbeddedDynamo dynamo;
    private final EmbeddedS3 s3;
    private final List<TableDefinitions.Table> tables;
    private final Path snapshot;
    private long savedAtWrites;
    private ScheduledExecutorService saver;

    private TelemetryEngines(EmbeddedDynamo dynamo, EmbeddedS3 s3, List<TableDefinitions.Table> tables, Path snapshot) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.tables = tables;
        this.snapshot = snapshot;
    }

    /** Starts both engines on free ports; {@code dataDir} null keeps everything in memory, else {@link DynamoStore#SNAPSHOT}. */
    public static TelemetryEngines start(Path dataDir) {
        return start(dataDir, DynamoStore.SNAPSHOT);
    }

    /** Starts both engines on free ports, DynamoDB's data kept as {@code store} says ({@code dataDir} null: nowhere). */
    public static TelemetryEngines start(Path dataDir, DynamoStore store) {
        List<TableDefinitions.Table> tables = TableDefinitions.from(SamTemplate.fromClasspath(), TABLE_PREFIX);
        boolean fileStore = dataDir != null && store == DynamoStore.FILE;
        EmbeddedDynamo dynamo = EmbeddedDynamo.start(0, fileStore ? dataDir.resolve(FILE_STORE_DIR) : null);
        EmbeddedS3 s3 = null;
        try {
            s3 = EmbeddedS3.start(0, dataDir == null ? null : dataDir.resolve("s3"));
            try (DynamoDbClient d = dynamo.client(); S3Client c = s3.client()) {
                EmbeddedDynamo.createTables(d, tables);
                EmbeddedS3.createBucket(c, ARCHIVE_BUCKET);
            }
            TelemetryEngines engines = new TelemetryEngines(dynamo, s3, tables,
                    dataDir != null && store == DynamoStore.SNAPSHOT ? dataDir.resolve(SNAPSHOT_FILE) : null);
            if (engines.snapshot != null) {
                engines.restore(dataDir.resolve(FILE_STORE_DIR));
            }
            return engines;
        } catch (RuntimeException e) {
            if (s3 != null) {
                s3.close();
            }
            dynamo.close();
            throw e;
        }
    }

    /**
     * Loads the snapshot; without one, moves the items of an earlier file store under {@code fileStoreDir} (the
     * local stack's default before snapshots) into memory, saves them as the snapshot and renames the file
     * store's directory so that it is not read again.
     */
    private void restore(Path fileStoreDir) {
        try (DynamoDbClient d = dynamo.client()) {
            if (Files.exists(snapshot)) {
                long t0 = System.nanoTime();
                DynamoSnapshot.Counts loaded = DynamoSnapshot.load(d, snapshot, Set.copyOf(tableNames()),
                        gone -> LOG.warning("the snapshot holds a table the template no longer declares, not loaded: " + gone));
                LOG.info(String.format("DynamoDB snapshot %s loaded: %,d items in %d ms", snapshot, loaded.total(), (System.nanoTime() - t0) / 1_000_000));
            } else if (Files.exists(fileStoreDir.resolve(FILE_STORE_DB))) {
                long t0 = System.nanoTime();
                DynamoSnapshot.Counts moved;
                try (EmbeddedDynamo old = EmbeddedDynamo.start(0, fileStoreDir); DynamoDbClient from = old.client()) {
                    EmbeddedDynamo.createTables(from, tables);
                    moved = DynamoSnapshot.copy(from, d, tableNames());
                }
                saveSnapshot();
                Path kept = fileStoreDir.resolveSibling(FILE_STORE_DIR + ".moved-to-snapshot");
                Files.move(fileStoreDir, kept);
                LOG.info(String.format("moved %,d items from DynamoDB Local's file store into memory and %s in %d ms; the old store is kept in %s (delete it when you like)",
                        moved.total(), snapshot, (System.nanoTime() - t0) / 1_000_000, kept));
            }
            savedAtWrites = DynamoWrites.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where DynamoDB's data is kept when the engines have a data directory. */
    public enum DynamoStore {
        /**
         * DynamoDB Local in memory, its items saved to {@code <dataDir>/dynamodb.snapshot} at {@link #close()},
         * by {@link #saveSnapshot()} and by {@link #saveSnapshotsEvery}, and loaded at start.
         */
        SNAPSHOT,
        /** DynamoDB Local's own file store under {@code <dataDir>/dynamodb}: each write is on disk when it returns, at a few fsyncs a write. */
        FILE
    }

    /** The snapshot file, or null when DynamoDB's data is not kept in one. */
    public Path snapshotFile() {
        return snapshot;
    }

    /** Saves every table to the snapshot file now; nothing when there is none. */
    public synchronized Optional<DynamoSnapshot.Counts> saveSnapshot() {
        if (snapshot == null) {
            return Optional.empty();
        }
        long writes = DynamoWrites.count();
        long t0 = System.nanoTime();
        DynamoSnapshot.Counts saved;
        try (DynamoDbClient d = dynamo.client()) {
            saved = DynamoSnapshot.save(d, tableNames(), snapshot);
        }
        savedAtWrites = writes;
        LOG.info(String.format("DynamoDB snapshot saved: %,d items in %d ms to %s", saved.total(), (System.nanoTime() - t0) / 1_000_000, snapshot));
        return Optional.of(saved);
    }

    /**
     * Saves the snapshot when a write counted by {@link DynamoWrites} has succeeded since the last save; writes
     * counted nowhere (another process's, or a client without the interceptor) wait for the next save.
     */
    public synchronized Optional<DynamoSnapshot.Counts> saveSnapshotIfChanged() {
        return DynamoWrites.count() == savedAtWrites ? Optional.empty() : saveSnapshot();
    }

    /** Calls {@link #saveSnapshotIfChanged()} every {@code interval} on a daemon thread, until {@link #close()}. */
    public synchronized void saveSnapshotsEvery(Duration interval) {
        if (snapshot == null || saver != null) {
            return;
        }
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-snapshot");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        saver.scheduleWithFixedDelay(() -> {
            try {
                saveSnapshotIfChanged();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "DynamoDB snapshot not saved; the previous one is kept", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    private List<String> tableNames() {
        return tables.stream().map(TableDefinitions.Table::defaultName).toList();
    }

    public EmbeddedDynamo dynamo() {
        return dynamo;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public List<TableDefinitions.Table> tables() {
        return tables;
    }

    /** Quarkus settings for the DynamoDB and S3 clients and every table and bucket name. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("quarkus.dynamodb.endpoint-override", dynamo.endpoint().toString());
        c.put("quarkus.dynamodb.aws.region", EmbeddedDynamo.REGION);
        c.put("quarkus.dynamodb.aws.credentials.type", "static");
        c.put("quarkus.dynamodb.aws.credentials.static-provider.access-key-id", EmbeddedDynamo.ACCESS_KEY);
        c.put("quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", EmbeddedDynamo.SECRET_KEY);
        c.put("quarkus.dynamodb.devservices.enabled", "false");
        c.put("quarkus.s3.endpoint-override", s3.endpoint().toString());
        c.put("quarkus.s3.path-style-access", "true");
        c.put("quarkus.s3.aws.region", EmbeddedDynamo.REGION);
        c.put("quarkus.s3.aws.credentials.type", "static");
        c.put("quarkus.s3.aws.credentials.static-provider.access-key-id", EmbeddedS3.ACCESS_KEY);
        c.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", EmbeddedS3.SECRET_KEY);
        c.put("quarkus.s3.devservices.enabled", "false");
        c.put("telemetry.archive.bucket", ARCHIVE_BUCKET);
        return c;
    }

    /** Saves the snapshot if anything changed since the last save, then stops both engines. */
    @Override
    public void close() {
        synchronized (this) {
            if (saver != null) {
                saver.shutdownNow();
            }
        }
        try {
            saveSnapshotIfChanged();
        } finally {
            try {
                s3.close();
            } finally {
                dynamo.close();
            }
        }
    }
}
