package kiosk.telemetry.engines;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Both embedded engines, provisioned from {@code template.yaml}: every table created, the archive bucket
 * made. {@link #quarkusConfig()} gives the settings that point the Quarkus clients at them.
 */
public final class TelemetryEngines implements AutoCloseable {

    public static final String TABLE_PREFIX = "telemetry-";
    public static final String ARCHIVE_BUCKET = "telemetry-archive";

    private final EmbeddedDynamo dynamo;
    private final EmbeddedS3 s3;
    private final List<TableDefinitions.Table> tables;

    private TelemetryEngines(EmbeddedDynamo dynamo, EmbeddedS3 s3, List<TableDefinitions.Table> tables) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.tables = tables;
    }

    /** Starts both engines on free ports; {@code dataDir} null keeps everything in memory. */
    public static TelemetryEngines start(Path dataDir) {
        List<TableDefinitions.Table> tables = TableDefinitions.from(SamTemplate.fromClasspath(), TABLE_PREFIX);
        EmbeddedDynamo dynamo = EmbeddedDynamo.start(0, dataDir == null ? null : dataDir.resolve("dynamodb"));
        EmbeddedS3 s3 = null;
        try {
            s3 = EmbeddedS3.start(0, dataDir == null ? null : dataDir.resolve("s3"));
            try (DynamoDbClient d = dynamo.client(); S3Client c = s3.client()) {
                EmbeddedDynamo.createTables(d, tables);
                EmbeddedS3.createBucket(c, ARCHIVE_BUCKET);
            }
            return new TelemetryEngines(dynamo, s3, tables);
        } catch (RuntimeException e) {
            if (s3 != null) {
                s3.close();
            }
            dynamo.close();
            throw e;
        }
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

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            dynamo.close();
        }
    }
}
