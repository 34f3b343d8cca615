package kiosk.telemetry.core.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The EMF emitter of this function: raw lines on standard output when enabled (in Lambda), nothing otherwise. */
public class MetricsBeans {

    @Produces
    @Singleton
    Emf emf(TelemetryConfig config, Clock clock) {
        var m = config.metrics();
        if (!m.enabled()) {
            return new Emf(m.namespace(), m.function(), clock, null);
        }
        // straight to the process's stdout, past the log formatter: CloudWatch reads EMF only from raw lines
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return new Emf(m.namespace(), m.function(), clock, line -> {
            synchronized (out) {
                out.println(line);
            }
        });
    }
}
