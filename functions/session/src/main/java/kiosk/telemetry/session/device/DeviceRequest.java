package kiosk.telemetry.session.device;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import kiosk.telemetry.core.bind.MaxBytes;

/** {@code POST /api/devices}: a device to register, with its optional placement. */
@RegisterForReflection
public record DeviceRequest(
        @NotNull @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$", message = "must be 1-64 letters, digits, '.', '_' or '-'") String deviceId,
        @Size(min = 1, message = "must not be empty; leave it out instead") @MaxBytes(256) String storeId,
        @Size(min = 1, message = "must not be empty; leave it out instead") @MaxBytes(256) String groupId,
        @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 code in upper case") String countryCode) {
}
