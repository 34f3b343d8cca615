package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.live.LiveCell;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static kiosk.telemetry.session.Api.createSession;
import static kiosk.telemetry.session.Api.fixture;
import static kiosk.telemetry.session.Api.kiosk;
import static kiosk.telemetry.session.Api.newSession;
import static kiosk.telemetry.session.Api.registerDevice;
import static kiosk.telemetry.session.Api.uniqueDeviceId;
import static kiosk.telemetry.session.Api.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session function counts today's running totals as the routes store records: what {@code /api/insights/today}
 * reads is written by the deployed wiring, not only by hand-built services.
 */
@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class TodayCountTest {

    @Inject
    LiveTotalsTable totals;

    @Inject
    ReportingCalendar calendar;

    @Inject
    Clock clock;

    @Test
    void aSessionItsEndAndASale_areCountedInTheStoresCellOfToday_onceEach() {
        String store = "store-today-" + uuid().substring(0, 8);
        String token = registerDevice(uniqueDeviceId("today"), store, "grp-today", "KR");
        ObjectNode body = newSession(0);
        String session = createSession(token, body);
        kiosk(token).contentType("application/json").body(body.toString()).when().post("/api/sessions").then().statusCode(200);
        String end = clock.instant().toString();
        kiosk(token).contentType("application/json").body("{\"seq\":1,\"status\":\"completed\",\"endedAt\":\"" + end + "\"}")
                .when().patch("/api/sessions/" + session).then().statusCode(200);
        ObjectNode sale = fixture("sale-valid.json").put("saleId", uuid()).put("sessionId", session).put("soldAt", end);
        kiosk(token).contentType("application/json").body(sale.toString()).when().post("/api/sales").then().statusCode(201);
        kiosk(token).contentType("application/json").body(sale.toString()).when().post("/api/sales").then().statusCode(200);

        LiveCell cell = totals.cells(calendar.dayOf(clock.instant())).stream().map(LiveCell::of)
                .filter(c -> store.equals(c.storeId())).findFirst().orElseThrow();
        assertEquals(1, cell.figures().at("/sessions/total").asLong(), cell.figures().toString());
        assertEquals(1, cell.figures().at("/sessions/byStatus/completed").asLong());
        assertEquals(0, cell.figures().at("/sessions/byStatus/started").asLong());
        assertEquals(1, cell.figures().at("/sales/count").asLong());
        assertEquals(1, cell.reporting());
        assertEquals(1, cell.active());
    }
}
