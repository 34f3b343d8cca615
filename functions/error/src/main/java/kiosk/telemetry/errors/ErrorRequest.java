package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.FreeObject;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.MaxBytes;
import kiosk.telemetry.core.bind.Uuid;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code POST /api/errors}: enums, a message, a stack within 32 KiB, at most 50 breadcrumbs, object sizes. */
@RegisterForReflection
public record ErrorRequest(@NotNull @Uuid String errorId, @Uuid String sessionId, @NotNull @InWindow Instant timestamp,
                           @NotNull Severity severity, @NotNull Category category, @MaxBytes(256) String code,
                           @NotNull @NotEmpty @MaxBytes String message, @MaxBytes(32 * 1024) String stack,
                           @Size(max = 50, message = "must have at most {max} items") List<@NotNull @Valid Breadcrumb> breadcrumbs,
                           @FreeObject JsonNode deviceState) {

    @RegisterForReflection
    public record Breadcrumb(@NotNull @InWindow Instant timestamp, @MaxBytes(64) String type, @MaxBytes String message,
                             @FreeObject JsonNode data) {
    }

    /** The report of {@code caller}, with its fingerprint; breadcrumbs stored with the contract's fields only. */
    ErrorReport toReport(Device caller, Instant now) {
        return new ErrorReport(errorId.toLowerCase(Locale.ROOT), sessionId == null ? null : sessionId.toLowerCase(Locale.ROOT),
                caller.deviceId(), caller.storeId(), caller.groupId(), caller.countryCode(), timestamp, severity.name(),
                category.name(), code, message, stack, storedBreadcrumbs(), deviceState,
                Fingerprints.of(category.name(), code, message, stack), now);
    }

    private JsonNode storedBreadcrumbs() {
        if (breadcrumbs == null) {
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Breadcrumb b : breadcrumbs) {
            ObjectNode o = out.addObject();
            o.put("timestamp", Timestamps.format(b.timestamp()));
            if (b.type() != null) {
                o.put("type", b.type());
            }
            if (b.message() != null) {
                o.put("message", b.message());
            }
            if (b.data() != null) {
                o.set("data", b.data());
            }
        }
        return out;
    }
}
