package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static kiosk.telemetry.session.Api.createSession;
import static kiosk.telemetry.session.Api.fixture;
import static kiosk.telemetry.session.Api.kiosk;
import static kiosk.telemetry.session.Api.newSession;
import static kiosk.telemetry.session.Api.operator;
import static kiosk.telemetry.session.Api.registerDevice;
import static kiosk.telemetry.session.Api.uniqueDeviceId;
import static kiosk.telemetry.session.Api.uuid;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class SaleResourceTest {

    @Inject
    Clock clock;

    private String deviceId;
    private String token;

    @BeforeEach
    void registerKiosk() {
        deviceId = uniqueDeviceId("sales");
        token = registerDevice(deviceId, "store-7", "grp-busan", "KR");
    }

    private ObjectNode sale(String soldAt) {
        return fixture("sale-valid.json").put("saleId", uuid()).put("sessionId", uuid()).put("soldAt", soldAt);
    }

    private Response post(ObjectNode body) {
        return kiosk(token).contentType("application/json").body(body.toString()).when().post("/api/sales");
    }

    @Test
    void create_201_then200_andStoresExactAmountsAndDimensions() {
        ObjectNode body = sale(clock.instant().minus(1, ChronoUnit.HOURS).toString());
        post(body).then().statusCode(201).body("created", equalTo(true)).body("saleId", equalTo(body.get("saleId").asText()));
        post(body).then().statusCode(200).body("created", equalTo(false));

        Response r = operator().when().get("/api/sales/" + body.get("saleId").asText());
        r.then().statusCode(200)
                .body("deviceId", equalTo(deviceId)).body("storeId", equalTo("store-7"))
                .body("currency", equalTo("KRW")).body("paymentMethod", equalTo("card"))
                .body("settlement.status", equalTo("pending")).body("settlement.scheduledDate", equalTo("2025-01-21"));
        // exact decimals, written as plain numbers
        String raw = r.asString();
        assertEquals(true, raw.contains("\"gross\":10000") && raw.contains("\"net\":8182") && raw.contains("\"tax\":818"), raw);
    }

    @Test
    void create_fractionalAmounts_areExactNotBinaryFloatingPoint() {
        ObjectNode body = sale(clock.instant().minus(1, ChronoUnit.HOURS).toString()).put("currency", "USD");
        ObjectNode amounts = body.putObject("amounts");
        amounts.put("gross", new BigDecimal("0.30")).put("discount", new BigDecimal("0.10")).put("tax", new BigDecimal("0.10"))
                .put("net", new BigDecimal("0.10"));
        post(body).then().statusCode(201);
        String raw = operator().when().get("/api/sales/" + body.get("saleId").asText()).asString();
        assertEquals(true, raw.contains("\"gross\":0.3,") && raw.contains("\"net\":0.1,"), raw);
    }

    @Test
    void timeDimension_isInTheReportingZone_forASaleAt2330Utc() {
        // GIVEN a sale at 23:30Z yesterday: 08:30 today in Seoul
        LocalDate utcDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(2);
        Instant soldAt = utcDay.atTime(23, 30).toInstant(ZoneOffset.UTC);
        ObjectNode body = sale(soldAt.toString());
        post(body).then().statusCode(201);

        LocalDate seoulDay = utcDay.plusDays(1);
        operator().when().get("/api/sales/" + body.get("saleId").asText()).then().statusCode(200)
                .body("timeDimension.date", equalTo(seoulDay.toString()))
                .body("timeDimension.year", equalTo(seoulDay.getYear()))
                .body("timeDimension.month", equalTo(seoulDay.getMonthValue()))
                .body("timeDimension.isoWeek", equalTo(seoulDay.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR)))
                .body("timeDimension.dayOfWeek", equalTo(seoulDay.getDayOfWeek().getValue()))
                .body("timeDimension.hour", equalTo(8));
    }

    @Test
    void amountRules_areFieldErrors() {
        String now = clock.instant().toString();
        ObjectNode discountTooHigh = sale(now);
        ((ObjectNode) discountTooHigh.get("amounts")).put("discount", 20000).put("net", -10818);
        post(discountTooHigh).then().statusCode(400).body("errors.field", hasItem("amounts.discount"));

        ObjectNode wrongNet = sale(now);
        ((ObjectNode) wrongNet.get("amounts")).put("net", 8183);
        post(wrongNet).then().statusCode(400).body("errors[0].field", equalTo("amounts.net"));

        ObjectNode threeDigits = sale(now);
        ((ObjectNode) threeDigits.get("amounts")).put("gross", new BigDecimal("10000.001"));
        post(threeDigits).then().statusCode(400).body("errors.field", hasItem("amounts.gross"));

        ObjectNode amountAsString = sale(now);
        ((ObjectNode) amountAsString.get("amounts")).put("gross", "10000");
        post(amountAsString).then().statusCode(400).body("errors.field", hasItem("amounts.gross"));

        ObjectNode tooBig = sale(now);
        ((ObjectNode) tooBig.get("amounts")).put("margin", new BigDecimal("10000000000000000"));
        post(tooBig).then().statusCode(400).body("errors.field", hasItem("amounts.margin"));

        post(sale(now).put("currency", "XYZ")).then().statusCode(400).body("errors[0].field", equalTo("currency"));
        post(sale(now).put("paymentMethod", "crypto")).then().statusCode(400).body("errors[0].field", equalTo("paymentMethod"));
        ObjectNode noSession = sale(now);
        noSession.remove("sessionId");
        post(noSession).then().statusCode(400).body("errors[0].field", equalTo("sessionId"));
    }

    @Test
    void saleForAnotherDevicesSession_is403_andItsOwnUnknownSession_isAccepted() {
        String otherToken = registerDevice(uniqueDeviceId("other"), null, null, null);
        String foreignSession = createSession(otherToken, newSession(5));
        post(sale(clock.instant().toString()).put("sessionId", foreignSession)).then().statusCode(403);
        post(sale(clock.instant().toString())).then().statusCode(201);
    }

    @Test
    void list_byDevice_cursorWalk() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            ObjectNode s = sale(clock.instant().minus(i * 11L + 1, ChronoUnit.MINUTES).toString());
            post(s).then().statusCode(201);
            ids.add(s.get("saleId").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response r = operator().when().get("/api/sales?deviceId=" + deviceId + "&limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            r.then().statusCode(200);
            seen.addAll(r.jsonPath().getList("items.saleId"));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertEquals(9, seen.size());
        assertEquals(ids, new HashSet<>(seen));
        operator().when().get("/api/sales?storeId=store-7&deviceId=" + deviceId + "&limit=500").then().statusCode(200)
                .body("items.size()", equalTo(9));
    }
}
