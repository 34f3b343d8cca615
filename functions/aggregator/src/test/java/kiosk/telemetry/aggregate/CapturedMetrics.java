package kiosk.telemetry.aggregate;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.metrics.Emf;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test profiles that enable this alternative read every EMF line the function emits from {@link #LINES}. */
@Alternative
public class CapturedMetrics {

    static final List<String> LINES = new CopyOnWriteArrayList<>();

    @Produces
    @Singleton
    Emf emf(TelemetryConfig config, Clock clock) {
        return new Emf(config.metrics().namespace(), config.metrics().function(), clock, LINES::add);
    }
}
