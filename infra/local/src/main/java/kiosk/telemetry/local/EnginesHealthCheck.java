package kiosk.telemetry.local;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code /q/health}: up when both engines answer (the devices table and the archive bucket are reachable). */
@Readiness
@ApplicationScoped
public class EnginesHealthCheck implements HealthCheck {

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final TelemetryConfig config;

    public EnginesHealthCheck(DynamoDbClient dynamo, S3Client s3, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("engines");
        try {
            dynamo.describeTable(r -> r.tableName(config.tables().devices()));
            s3.headBucket(r -> r.bucket(config.archive().bucket()));
            return b.up().build();
        } catch (RuntimeException e) {
            return b.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
