package kiosk.telemetry.engines;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * For {@code @QuarkusTestResource}: DynamoDB Local and s3proxy in memory, tables and bucket from the template,
 * and the Quarkus clients pointed at them. Shared by every function module's tests.
 */
public class TelemetryEnginesTestResource implements QuarkusTestResourceLifecycleManager {

    private TelemetryEngines engines;

    @Override
    public Map<String, String> start() {
        engines = TelemetryEngines.start(null);
        return engines.quarkusConfig();
    }

    @Override
    public void stop() {
        if (engines != null) {
            engines.close();
        }
    }
}
