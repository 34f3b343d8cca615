package kiosk.telemetry.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Validates an error report: enums, message, stack within 32 KiB, at most 50 breadcrumbs, object sizes. */
final class ErrorInput {

    static final Set<String> SEVERITIES = Set.of("fatal", "error", "warning", "info");
    static final Set<String> CATEGORIES = Set.of("hardware", "software", "network");
    static final int MAX_STACK_BYTES = 32 * 1024;
    static final int MAX_BREADCRUMBS = 50;

    private ErrorInput() {
    }

    static ErrorReport read(FieldReader r, Device caller, Instant now) {
        String id = r.uuid("errorId", true);
        String sessionId = r.uuid("sessionId", false);
        Instant ts = r.timestamp("timestamp", true);
        String severity = r.oneOf("severity", true, SEVERITIES);
        String category = r.oneOf("category", true, CATEGORIES);
        String code = r.string("code", false, 256);
        String message = r.string("message", true);
        String stack = r.string("stack", false, MAX_STACK_BYTES);
        JsonNode breadcrumbs = breadcrumbs(r.array("breadcrumbs", false, MAX_BREADCRUMBS));
        ObjectNode deviceState = r.freeObject("deviceState", false);
        r.throwIfInvalid();
        return new ErrorReport(id, sessionId, caller.deviceId(), caller.storeId(), caller.groupId(), caller.countryCode(),
                ts, severity, category, code, message, stack, breadcrumbs, deviceState,
                Fingerprints.of(category, code, message, stack), now);
    }

    private static JsonNode breadcrumbs(List<FieldReader> items) {
        if (items == null) {
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (FieldReader b : items) {
            Instant t = b.timestamp("timestamp", true);
            String type = b.string("type", false, 64);
            String message = b.string("message", false);
            ObjectNode data = b.freeObject("data", false);
            ObjectNode o = out.addObject();
            if (t != null) {
                o.put("timestamp", Timestamps.format(t));
            }
            if (type != null) {
                o.put("type", type);
            }
            if (message != null) {
                o.put("message", message);
            }
            if (data != null) {
                o.set("data", data);
            }
        }
        return out;
    }
}
