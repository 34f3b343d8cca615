package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.json.FieldReader;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import java.math.BigDecimal;

/**
 * Validates one event of a batch. Types matching {@code ^[a-z][a-z0-9_]{0,63}$} are accepted; the known ones
 * have rules of their own ({@code scroll} needs {@code properties.scrollDepth} from 0 to 100).
 */
final class EventInput {

    static final Pattern EVENT_TYPE = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    static final Set<String> KNOWN_TYPES = Set.of("screen_enter", "screen_exit", "tap", "long_press", "select",
            "deselect", "back", "cancel", "scroll");

    /** The validated fields of an item, before the device's dimensions are attached. */
    record Item(String sessionId, long sequenceNo, String eventType, Instant timestamp, String screen, ObjectNode properties) {
    }

    private EventInput() {
    }

    /** The item, or null when the reader collected errors. */
    static Item read(FieldReader r) {
        String sessionId = r.uuid("sessionId", true);
        Long seq = r.integer("sequenceNo", true, 0, FieldReader.MAX_SAFE_INTEGER);
        String type = r.matching("eventType", true, EVENT_TYPE, "lower case letters, digits and '_' (1-64, starting with a letter)");
        Instant ts = r.timestamp("timestamp", true);
        String screen = r.string("screen", false);
        ObjectNode props = r.freeObject("properties", false);
        if ("scroll".equals(type)) {
            JsonNode depth = props == null ? null : props.get("scrollDepth");
            if (depth == null || !depth.isNumber()) {
                r.reject("properties.scrollDepth", "is required for scroll events: a number from 0 to 100");
            } else if (depth.decimalValue().signum() < 0 || depth.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0) {
                r.reject("properties.scrollDepth", "must be from 0 to 100");
            }
        }
        if (!r.valid()) {
            return null;
        }
        return new Item(sessionId, seq, type, ts, screen, props);
    }
}
