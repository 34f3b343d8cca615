package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.engines.TestClock;
import org.hibernate.validator.constraints.Range;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinderTest {

    private static final Instant NOW = Instant.parse("2025-01-19T01:00:00Z");
    private static final Binder BINDER = Binder.standalone(new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
            .getConfigMapping(TelemetryConfig.class), new TestClock(NOW));

    enum Color { red, green }

    record Item(@NotNull @Uuid String id, @NotNull @InWindow Instant timestamp, @Range(min = 0, max = 10) Long n) {
    }

    record Sample(@NotNull @NotEmpty @MaxBytes String name, @Range(min = 1, max = 9007199254740991L) Long count, Boolean flag,
                  BigDecimal amount, Color color, @Size(min = 1, message = "must not be empty; leave it out instead") String storeId,
                  @FreeObject JsonNode properties, List<@Valid Item> items, Optional<String> note, Map<String, @Range(min = 0, max = 5) Long> counts) {
    }

    private static Bound<Sample> bind(String json) {
        return BINDER.bind(Json.parseObject(json.getBytes(StandardCharsets.UTF_8), 1 << 20), Sample.class);
    }

    private static List<String> fields(Bound<?> b) {
        return b.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void duplicateKey_is400WithTheReason() {
        ApiException e = assertThrows(ApiException.class,
                () -> Json.parseObject("{\"name\":\"a\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8), 100));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("malformed JSON: Duplicate field 'name'"), e.getMessage());
    }

    @Test
    void scalars_areNotCoerced() {
        Bound<Sample> b = bind("{\"name\":5,\"count\":\"1\",\"flag\":1,\"amount\":\"1.5\",\"color\":0}");
        assertEquals(List.of(new FieldError("name", "must be a string"), new FieldError("count", "must be an integer"),
                new FieldError("flag", "must be a boolean"), new FieldError("amount", "must be a number"),
                new FieldError("color", "must be a string")), b.errors());
        assertEquals(List.of("count"), fields(bind("{\"name\":\"a\",\"count\":1.5}")));
        assertEquals(List.of("count"), fields(bind("{\"name\":\"a\",\"count\":9007199254740992}")));
        assertEquals(List.of("flag"), fields(bind("{\"name\":\"a\",\"flag\":\"true\"}")));
    }

    @Test
    void decimals_areBoundExactly_andUnknownFieldsIgnored() {
        Bound<Sample> b = bind("{\"name\":\"a\",\"amount\":1.10,\"whatever\":{\"x\":[1,2]},\"count\":9007199254740991}");
        assertTrue(b.valid(), b.errors().toString());
        assertEquals(0, new BigDecimal("1.10").compareTo(b.value().amount()), "the decimal, not a double near it");
        Bound<Sample> precise = bind("{\"name\":\"a\",\"amount\":9999999999999999.99}");
        assertEquals(new BigDecimal("9999999999999999.99"), precise.value().amount());
        assertEquals(9007199254740991L, b.value().count());
    }

    @Test
    void everyErrorIsNamed_oncePerField_inDeclarationOrder() {
        Bound<Sample> b = bind("{\"storeId\":\"\",\"color\":\"blue\",\"count\":0,\"name\":\"\"}");
        assertEquals(List.of(new FieldError("name", "must not be empty"),
                new FieldError("count", "must be an integer from 1 to 9007199254740991"),
                new FieldError("color", "must be one of green, red"),
                new FieldError("storeId", "must not be empty; leave it out instead")), b.errors());
        assertEquals(List.of(new FieldError("name", "is required")), bind("{}").errors());
        ApiException e = assertThrows(ApiException.class, b::orThrow);
        assertEquals("4 fields are invalid", e.getMessage());
    }

    @Test
    void nestedItems_keepTheirPath() {
        Bound<Sample> b = bind("{\"name\":\"a\",\"items\":[{\"id\":\"0B6F2C1E-8D5A-4C3B-9E2F-1A2B3C4D5E6F\",\"timestamp\":\"2025-01-19T01:00:00Z\"},"
                + "{\"id\":\"c232ab00-9414-11ec-b3c8-9e6bdeced846\",\"timestamp\":\"2025-01-19T10:00:00\",\"n\":11},5],"
                + "\"counts\":{\"a\":1,\"b\":6}}");
        assertEquals(List.of("items[1].id", "items[1].timestamp", "items[1].n", "items[2]", "counts.b"), fields(b));
        assertEquals("must be an ISO-8601 timestamp with an offset or Z", b.errors().get(1).message());
        assertEquals("must be a JSON object", b.errors().get(3).message());
    }

    @Test
    void timestamps_inclusiveWindow_millisecondPrecision() {
        String ok = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"timestamp\":\"2025-01-19T10:00:00.1239+09:00\"}";
        Bound<Item> item = BINDER.bind(Json.parseObject(ok.getBytes(StandardCharsets.UTF_8), 1000), Item.class);
        assertTrue(item.valid(), item.errors().toString());
        assertEquals(Instant.parse("2025-01-19T01:00:00.123Z"), item.value().timestamp());
        String late = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"timestamp\":\"2025-01-19T01:05:00.001Z\"}";
        assertEquals(List.of(new FieldError("timestamp", "must be at most 5 minutes in the future")),
                BINDER.bind(Json.parseObject(late.getBytes(StandardCharsets.UTF_8), 1000), Item.class).errors());
        String old = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"timestamp\":\"2024-12-20T00:59:59.999Z\"}";
        assertEquals(List.of(new FieldError("timestamp", "must be at most 30 days in the past")),
                BINDER.bind(Json.parseObject(old.getBytes(StandardCharsets.UTF_8), 1000), Item.class).errors());
    }

    @Test
    void freeObjects_sizeAndNumberRange_withPathsInside() {
        Bound<Sample> b = bind("{\"name\":\"a\",\"properties\":{\"big\":1e99999,\"list\":[1,{\"n\":-1e400}],\"fine\":0.1000000000000000000001}}");
        assertEquals(List.of("properties.big", "properties.list[1].n"), fields(b));
        assertEquals(List.of("properties"), fields(bind("{\"name\":\"a\",\"properties\":{\"k\":\"" + "x".repeat(8200) + "\"}}")));
        assertEquals(List.of("properties"), fields(bind("{\"name\":\"a\",\"properties\":[1]}")));
        Bound<Sample> fine = bind("{\"name\":\"a\",\"properties\":{\"fine\":0.1000000000000000000001}}");
        assertEquals(new BigDecimal("0.1000000000000000000001"), fine.value().properties().get("fine").decimalValue());
    }

    @Test
    void strings_byteLimit_and_optionalTellsNullFromAbsent() {
        assertEquals(List.of(new FieldError("name", "must be at most 2048 bytes")), bind("{\"name\":\"" + "가".repeat(683) + "\"}").errors());
        assertTrue(!bind("{\"name\":\"a\"}").given("note"));
        Bound<Sample> cleared = bind("{\"name\":\"a\",\"note\":null}");
        assertTrue(cleared.given("note"));
        assertEquals(Optional.empty(), cleared.value().note());
        assertEquals(Optional.of("x"), bind("{\"name\":\"a\",\"note\":\"x\"}").value().note());
    }

    @Test
    void integers_noFractionEvenWhole_noBoolean_upToTheSafeLimit() {
        assertEquals(List.of("count"), fields(bind("{\"name\":\"a\",\"count\":5.0}")));
        assertEquals(List.of("count"), fields(bind("{\"name\":\"a\",\"count\":true}")));
        assertEquals(List.of("count"), fields(bind("{\"name\":\"a\",\"count\":99999999999999999999999}")));
    }

    @Test
    void timestamps_theWindowIsInclusiveAtBothEnds_andAnOffsetIsRequired() {
        for (String t : List.of("2025-01-19T01:05:00Z", "2024-12-20T01:00:00Z")) {
            String json = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"timestamp\":\"" + t + "\"}";
            assertTrue(BINDER.bind(Json.parseObject(json.getBytes(StandardCharsets.UTF_8), 1000), Item.class).valid(), t);
        }
        String noOffset = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"timestamp\":\"2025-01-19T10:00:00\"}";
        assertEquals(List.of(new FieldError("timestamp", "must be an ISO-8601 timestamp with an offset or Z")),
                BINDER.bind(Json.parseObject(noOffset.getBytes(StandardCharsets.UTF_8), 1000), Item.class).errors());
    }
}
