package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sale amounts: exact decimals, 0 or more, below 10^16, at most 2 fraction digits, adding up. */
class SaleRequestTest {

    private static final Instant NOW = Instant.parse("2025-01-19T01:00:00Z");
    private static final Binder BINDER = Binder.standalone(
            new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class),
            new TestClock(NOW));

    private static Bound<SaleRequest> sale(String amounts) {
        String json = "{\"saleId\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"sessionId\":\"0b6f2c1e-8d5a-4c3b-9e2f-1a2b3c4d5e6f\","
                + "\"soldAt\":\"2025-01-19T00:59:00Z\",\"currency\":\"KRW\",\"paymentMethod\":\"card\",\"amounts\":" + amounts + "}";
        return BINDER.bind(Json.parseObject(json.getBytes(StandardCharsets.UTF_8), 10_000), SaleRequest.class);
    }

    @Test
    void amounts_areExact_andStoredInTheirShortestForm() {
        Bound<SaleRequest> b = sale("{\"gross\":10000,\"discount\":0.10,\"tax\":1.50,\"net\":9998.40,\"margin\":9999999999999999.99}");
        assertTrue(b.valid(), b.errors().toString());
        Sale.Amounts stored = b.value().amounts().stored();
        assertEquals("10000", stored.gross().toPlainString());
        assertEquals(new BigDecimal("1.5"), stored.tax());
        assertEquals(new BigDecimal("9999999999999999.99"), stored.margin());
    }

    @Test
    void amounts_outOfRange_orTooPrecise_areNamed() {
        Bound<SaleRequest> b = sale("{\"gross\":1.005,\"discount\":-1,\"tax\":0,\"net\":0,\"margin\":1E16}");
        assertEquals(List.of(new FieldError("amounts.gross", "must have at most 2 fraction digits"),
                new FieldError("amounts.discount", "must be 0 or more"),
                new FieldError("amounts.margin", "must be less than 10^16")), b.errors());
    }

    @Test
    void amounts_mustAddUp() {
        assertEquals(List.of(new FieldError("amounts.net", "must equal gross - discount - tax = 8")),
                sale("{\"gross\":10,\"discount\":1,\"tax\":1,\"net\":9}").errors());
        assertEquals(List.of(new FieldError("amounts.discount", "must not be greater than gross")),
                sale("{\"gross\":1,\"discount\":2,\"tax\":0,\"net\":0}").errors());
        ObjectNode asString = JsonNodeFactory.instance.objectNode().put("gross", "10").put("discount", 0).put("tax", 0).put("net", 10);
        assertEquals(List.of(new FieldError("amounts.gross", "must be a number")), sale(asString.toString()).errors());
    }
}
