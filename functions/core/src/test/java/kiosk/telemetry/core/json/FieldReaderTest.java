package kiosk.telemetry.core.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.FieldError;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldReaderTest {

    private static final Instant NOW = Instant.parse("2025-01-19T01:00:00Z");
    private static final InputRules RULES = new InputRules(NOW, Duration.ofMinutes(5), Duration.ofDays(30), 2048, 8192);

    private static FieldReader reader(String json) {
        return FieldReader.of(Json.parseObject(json.getBytes(StandardCharsets.UTF_8), 1 << 20), RULES);
    }

    private static List<String> fields(FieldReader r) {
        return r.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void integers_areStrict_noStrings_noFractions_noBeyondSafeRange() {
        FieldReader r = reader("{\"a\":\"5\",\"b\":5.0,\"c\":9007199254740992,\"d\":9007199254740991,\"e\":true}");
        assertNull(r.integer("a", true, 0, Long.MAX_VALUE));
        assertNull(r.integer("b", true, 0, Long.MAX_VALUE));
        assertNull(r.integer("c", true, 0, Long.MAX_VALUE));
        assertEquals(9007199254740991L, r.integer("d", true, 0, Long.MAX_VALUE));
        assertNull(r.integer("e", true, 0, Long.MAX_VALUE));
        assertEquals(List.of("a", "b", "c", "e"), fields(r));
    }

    @Test
    void booleans_areStrict() {
        FieldReader r = reader("{\"a\":1,\"b\":\"true\",\"c\":false}");
        assertNull(r.bool("a", true));
        assertNull(r.bool("b", true));
        assertEquals(false, r.bool("c", true));
        assertEquals(List.of("a", "b"), fields(r));
    }

    @Test
    void timestamps_needAnOffset_andLieInTheInclusiveWindow() {
        FieldReader r = reader("{\"noOffset\":\"2025-01-19T10:00:00\",\"future\":\"2025-01-19T01:05:00.001Z\","
                + "\"edgeFuture\":\"2025-01-19T01:05:00Z\",\"edgePast\":\"2024-12-20T01:00:00Z\","
                + "\"past\":\"2024-12-20T00:59:59.999Z\",\"seoul\":\"2025-01-19T10:00:00.1234+09:00\"}");
        assertNull(r.timestamp("noOffset", true));
        assertNull(r.timestamp("future", true));
        assertEquals(Instant.parse("2025-01-19T01:05:00Z"), r.timestamp("edgeFuture", true));
        assertEquals(Instant.parse("2024-12-20T01:00:00Z"), r.timestamp("edgePast", true));
        assertNull(r.timestamp("past", true));
        assertEquals(Instant.parse("2025-01-19T01:00:00.123Z"), r.timestamp("seoul", true), "normalised to UTC, millis");
        assertEquals(List.of("noOffset", "future", "past"), fields(r));
    }

    @Test
    void amounts_areExactDecimals_withAtMostTwoFractionDigits() {
        FieldReader r = reader("{\"a\":0.1,\"b\":10000,\"c\":1.005,\"d\":-1,\"e\":9999999999999999.99,\"f\":1E16,\"g\":1.50}");
        assertEquals(new BigDecimal("0.1"), r.amount("a", true));
        assertEquals(0, new BigDecimal("10000").compareTo(r.amount("b", true)));
        assertEquals("10000", r.amount("b", true).toPlainString());
        assertNull(r.amount("c", true));
        assertNull(r.amount("d", true));
        assertEquals(new BigDecimal("9999999999999999.99"), r.amount("e", true));
        assertNull(r.amount("f", true));
        assertEquals(0, new BigDecimal("1.5").compareTo(r.amount("g", true)));
        assertEquals(List.of("c", "d", "f"), fields(r));
    }

    @Test
    void strings_haveAByteLimit_andIdsMustBeV4OrV7Uuids() {
        String big = "가".repeat(683); // 3 bytes each: 2049 bytes
        FieldReader r = reader("{\"s\":\"" + big + "\",\"v4\":\"0B6F2C1E-8D5A-4C3B-9E2F-1A2B3C4D5E6F\","
                + "\"v7\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"v1\":\"c232ab00-9414-11ec-b3c8-9e6bdeced846\"}");
        assertNull(r.string("s", true));
        assertEquals("0b6f2c1e-8d5a-4c3b-9e2f-1a2b3c4d5e6f", r.uuid("v4", true), "canonical lower case");
        assertEquals("01890a5d-ac96-774b-bcce-b302099a8057", r.uuid("v7", true));
        assertNull(r.uuid("v1", true));
        assertEquals(List.of("s", "v1"), fields(r));
    }

    @Test
    void nestedPaths_andObjectSizeLimit() {
        String bigObject = "{\"k\":\"" + "x".repeat(8200) + "\"}";
        FieldReader r = reader("{\"o\":" + bigObject + ",\"list\":[{\"n\":1},{\"n\":\"x\"},3]}");
        assertNull(r.freeObject("o", false));
        var items = r.array("list", true, 10);
        items.forEach(i -> i.integer("n", true, 0, 10));
        assertEquals(List.of("o", "list[2]", "list[1].n"), fields(r));
        ApiException e = assertThrows(ApiException.class, r::throwIfInvalid);
        assertEquals(400, e.status());
        assertEquals(3, e.errors().size());
    }

    @Test
    void oneOf_andRequired() {
        FieldReader r = reader("{\"status\":\"Started\",\"empty\":\"\"}");
        assertNull(r.oneOf("status", true, Set.of("started")));
        assertNull(r.string("empty", true));
        assertNull(r.string("missing", true));
        assertEquals(List.of("status", "empty", "missing"), fields(r));
    }

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

    @Test
    void freeObject_numbersBeyondADouble_areRejectedWithTheirPath_othersAreKeptExactly() {
        FieldReader r = reader("{\"p\":{\"big\":1e99999,\"tiny\":-1e-99999,\"list\":[1,{\"n\":-1e400}]},"
                + "\"q\":{\"max\":1.7976931348623157e308,\"fine\":0.1000000000000000000001,\"zero\":0e-99999,\"i\":123456789012345678901234567890}}");
        assertNull(r.freeObject("p", false));
        assertEquals(List.of("p.big", "p.tiny", "p.list[1].n"), fields(r));
        ObjectNode q = r.freeObject("q", false);
        assertEquals(new BigDecimal("0.1000000000000000000001"), q.get("fine").decimalValue());
        assertEquals("123456789012345678901234567890", q.get("i").bigIntegerValue().toString());
        assertEquals(0, q.get("zero").decimalValue().signum());
        assertEquals(3, r.errors().size());
    }

    @Test
    void nonEmpty_refusesAnEmptyString_absentOrNonEmptyIsFine() {
        FieldReader r = reader("{\"storeId\":\"\",\"groupId\":\"g\"}");
        assertNull(r.nonEmpty("storeId", 256));
        assertEquals("g", r.nonEmpty("groupId", 256));
        assertNull(r.nonEmpty("countryCode", 256));
        assertEquals(List.of(new FieldError("storeId", "must not be empty; leave it out instead")), r.errors());
    }
}
