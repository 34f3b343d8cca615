package kiosk.telemetry.core.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.error.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void bodies_malformedOrNotAnObject_or_tooLarge() {
        assertEquals(400, assertThrows(ApiException.class, () -> Json.parseObject("{\"a\":".getBytes(), 100)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> Json.parseObject("[1]".getBytes(), 100)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> Json.parseObject("{\"a\":1,\"a\":2}".getBytes(), 100)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> Json.parseObject("{} {}".getBytes(), 100)).status());
        assertEquals(413, assertThrows(ApiException.class, () -> Json.parseObject(new byte[101], 100)).status());
        ObjectNode ok = Json.parseObject("{\"a\":0.1}".getBytes(), 100);
        assertTrue(ok.get("a").isBigDecimal());
    }

    @Test
    void bodies_notWellFormedUtf8_are400WithTheReason_validUtf8AndAByteOrderMarkAreRead() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] loneSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        for (byte[] body : List.of(overlongSlash, loneSurrogate, truncated)) {
            ApiException e = assertThrows(ApiException.class, () -> Json.parseObject(body, 100));
            assertEquals(400, e.status());
            assertEquals("request body is not valid UTF-8: malformed byte sequence at byte offset 6", e.getMessage());
        }
        assertEquals("상점 📷", Json.parseObject("{\"a\":\"상점 📷\"}".getBytes(StandardCharsets.UTF_8), 100).get("a").textValue());
        byte[] withBom = "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, Json.parseObject(withBom, 100).get("a").intValue());
    }
}
