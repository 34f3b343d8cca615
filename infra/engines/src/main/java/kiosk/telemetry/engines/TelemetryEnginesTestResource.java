package kiosk.telemetry.engines;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * For {@code @QuarkusTestResource}: DynamoDB Local and s3proxy in memory, tables and bucket from the template,
 * and the Quarkus clients pointed at them. Shared by every function module's tests. Its init args are further
 * settings of the app under test, for a class that runs on engines of its own
 * ({@code restrictToAnnotatedClass = true}).
 */
public class TelemetryEnginesTestResource implements QuarkusTestResourceLifecycleManager {

    private TelemetryEngines engines;
    private Map<String, String> settings = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        settings = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        engines = TelemetryEngines.start(null);
        Map<String, String> config = new HashMap<>(engines.quarkusConfig());
        config.putAll(settings);
        return config;
    }

    @Override
    public void stop() {
        if (engines != null) {
            engines.close();
        }
    }
}
