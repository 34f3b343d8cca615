package kiosk.telemetry.errors;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import kiosk.telemetry.core.bind.MaxBytes;

/** {@code PATCH .../resolve}: who resolved it, and an optional note. */
@RegisterForReflection
public record ResolveRequest(@NotNull @NotEmpty @MaxBytes(256) String resolvedBy, @MaxBytes String note) {
}
