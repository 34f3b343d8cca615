package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.FreeObject;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.Uuid;
import org.hibernate.validator.constraints.Range;

import java.time.Instant;
import java.util.Locale;

/** One timing as a kiosk sends it (the single route's body, or one item of a batch). */
@RegisterForReflection
public record MetricRequest(@NotNull @Uuid String metricId, @Uuid String sessionId, @NotNull MetricType metricType,
                            @NotNull @InWindow Instant timestamp, @NotNull @Range(min = 0, max = 3_599_999) Long durationMs,
                            Boolean success, @FreeObject JsonNode breakdown, @FreeObject JsonNode context) {

    /** The metric, attributed to {@code caller}; a timing without {@code success} counts as successful. */
    Metric toMetric(Device caller, Instant now) {
        return new Metric(metricId.toLowerCase(Locale.ROOT), sessionId == null ? null : sessionId.toLowerCase(Locale.ROOT),
                caller.deviceId(), caller.storeId(), caller.groupId(), caller.countryCode(), metricType.name(), timestamp,
                durationMs, success == null || success, breakdown, context, now);
    }
}
