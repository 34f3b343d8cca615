package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import kiosk.telemetry.core.bind.FreeObject;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.MaxBytes;
import kiosk.telemetry.core.bind.Uuid;

import java.time.Instant;

/** {@code POST /api/sessions}. */
@RegisterForReflection
public record NewSessionRequest(
        @NotNull @Uuid String sessionId,
        @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$", message = "must be 1-64 letters, digits, '.', '_' or '-'") String deviceId,
        @Size(min = 1, message = "must not be empty; leave it out instead") @MaxBytes String storeId,
        @Size(min = 1, message = "must not be empty; leave it out instead") @MaxBytes String groupId,
        @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 code in upper case") String countryCode,
        @NotNull @InWindow Instant startedAt,
        @MaxBytes String appVersion,
        @FreeObject JsonNode experiments) {
}
