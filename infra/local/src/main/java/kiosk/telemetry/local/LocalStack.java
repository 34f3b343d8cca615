package kiosk.telemetry.local;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import kiosk.telemetry.engines.TelemetryEngines;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The whole backend on this machine: DynamoDB Local and s3proxy in-process (tables and bucket from
 * template.yaml), then every function's routes on plain HTTP at 127.0.0.1:{@code TELEMETRY_PORT} (8080).
 * Data lives under {@code TELEMETRY_DATA_DIR} (./.local-data), or in memory with {@code TELEMETRY_IN_MEMORY=true}.
 */
@QuarkusMain
public final class LocalStack {

    private static final Logger LOG = Logger.getLogger(LocalStack.class);

    private LocalStack() {
    }

    public static void main(String... args) {
        boolean inMemory = Boolean.parseBoolean(env("TELEMETRY_IN_MEMORY", "false"));
        Path dataDir = inMemory ? null : Paths.get(env("TELEMETRY_DATA_DIR", ".local-data")).toAbsolutePath();
        long t0 = System.nanoTime();
        TelemetryEngines engines = TelemetryEngines.start(dataDir);
        engines.quarkusConfig().forEach(System::setProperty);
        System.setProperty("quarkus.http.port", env("TELEMETRY_PORT", "8080"));
        LOG.infof("embedded engines up in %d ms: DynamoDB Local %s, S3 %s, data %s", (System.nanoTime() - t0) / 1_000_000,
                engines.dynamo().endpoint(), engines.s3().endpoint(), dataDir == null ? "in memory" : dataDir);
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

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
