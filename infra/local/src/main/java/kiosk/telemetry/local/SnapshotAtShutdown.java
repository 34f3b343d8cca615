package kiosk.telemetry.local;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import kiosk.telemetry.engines.TelemetryEngines;

/**
 * Saves DynamoDB's snapshot while the stack stops (Ctrl-C, SIGTERM). The JVM may halt as soon as Quarkus has
 * stopped, before {@code LocalStack.main} gets past {@code Quarkus.run}, so the save cannot wait for that.
 */
@ApplicationScoped
public class SnapshotAtShutdown {

    void onStop(@Observes ShutdownEvent event) {
        TelemetryEngines engines = LocalStack.running();
        if (engines != null) {
            engines.saveSnapshotIfChanged();
        }
    }
}
