package kiosk.telemetry.core.page;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CursorCodecTest {

    private final ObjectNode state = JsonNodeFactory.instance.objectNode().put("g", 2).put("k", "2025-01-19#1");

    @Test
    void roundTrip_withTheSameScope() {
        String c = CursorCodec.encode("sessions|a", state);
        assertEquals(state.toString(), CursorCodec.decode("sessions|a", c).toString());
    }

    @Test
    void anotherScope_anAlteredByte_orGarbage_areAllInvalidCursors() {
        String c = CursorCodec.encode("sessions|a", state);
        assertThrows(InvalidCursorException.class, () -> CursorCodec.decode("sessions|b", c));
        for (int i = 0; i < c.length(); i++) {
            if (c.charAt(i) == '.') {
                continue;
            }
            String altered = c.substring(0, i) + (c.charAt(i) == 'A' ? 'B' : 'A') + c.substring(i + 1);
            assertThrows(InvalidCursorException.class, () -> CursorCodec.decode("sessions|a", altered), "position " + i);
        }
        for (String junk : new String[]{"", ".", "abc", "a.b", "%%%.%%%"}) {
            assertThrows(InvalidCursorException.class, () -> CursorCodec.decode("sessions|a", junk), junk);
        }
    }

    @Test
    void listQuery_scopeIsStableAndIgnoresLimitAndCursor() {
        ListQuery a = ListQuery.on("sessions").filter("storeId", "s").filter("deviceId", "d").limit("5", 50, 500).build();
        ListQuery b = ListQuery.on("sessions").filter("deviceId", "d").filter("storeId", "s").limit("7", 50, 500).cursor("x").build();
        assertEquals(a.scope(), b.scope());
        assertEquals(400, assertThrows(ApiException.class, () -> ListQuery.on("x").limit("0", 50, 500).build()).status());
        assertEquals(400, assertThrows(ApiException.class, () -> ListQuery.on("x").limit("501", 50, 500).build()).status());
        assertEquals(400, assertThrows(ApiException.class,
                () -> ListQuery.on("x").range("2025-01-02T00:00:00Z", "2025-01-01T00:00:00Z").build()).status());
    }
}
