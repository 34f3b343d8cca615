package kiosk.telemetry.core.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.page.CursorCodec;
import kiosk.telemetry.core.page.InvalidCursorException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Where a {@link DayWalk} continues: the day it is in and the list key of the last record returned ({@code after},
 * null at the start of a day). Encoded as an opaque cursor bound to the list's scope.
 */
public record DayWalkCursor(LocalDate day, String after) {

    public String encode(String scope) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put("day", day.toString());
        if (after != null) {
            state.put("after", after);
        }
        return CursorCodec.encode(scope, state);
    }

    public static DayWalkCursor decode(String scope, String cursor) {
        var state = CursorCodec.decode(scope, cursor);
        if (state.has("after") && !state.path("after").isTextual()) {
            throw invalid();
        }
        try {
            return new DayWalkCursor(LocalDate.parse(state.path("day").asText("")), state.path("after").textValue());
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    public static InvalidCursorException invalid() {
        return new InvalidCursorException();
    }
}
