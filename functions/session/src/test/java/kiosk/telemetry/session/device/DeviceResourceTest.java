package kiosk.telemetry.session.device;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static kiosk.telemetry.session.Api.kiosk;
import static kiosk.telemetry.session.Api.newSession;
import static kiosk.telemetry.session.Api.operator;
import static kiosk.telemetry.session.Api.registerDevice;
import static kiosk.telemetry.session.Api.uniqueDeviceId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class DeviceResourceTest {

    @Test
    void register_returns201WithLongRandomToken_shownOnce_neverListed() {
        String id = uniqueDeviceId("reg");
        String token = registerDevice(id, "store-1", "grp-1", "KR");
        // kt1.<id>.<43 chars of base64url = 256 bits>
        assertTrue(token.length() > 43 + 4, "token carries at least 128 random bits");

        Response r = operator().when().get("/api/devices/" + id);
        r.then().statusCode(200).body("deviceId", equalTo(id)).body("storeId", equalTo("store-1"))
                .body("revoked", equalTo(false)).body("token", nullValue()).body("tokenHash", nullValue());
        assertFalse(r.asString().contains(token.substring(token.lastIndexOf('.') + 1)));
    }

    @Test
    void register_sameIdAgain_is409_andInvalidId_is400() {
        String id = uniqueDeviceId("dup");
        registerDevice(id, null, null, null);
        operator().contentType("application/json").body("{\"deviceId\":\"" + id + "\"}")
                .when().post("/api/devices").then().statusCode(409);
        operator().contentType("application/json").body("{\"deviceId\":\"has space\"}")
                .when().post("/api/devices").then().statusCode(400).body("errors[0].field", equalTo("deviceId"));
        operator().contentType("application/json").body("{\"storeId\":\"s\"}")
                .when().post("/api/devices").then().statusCode(400).body("errors[0].field", equalTo("deviceId"));
    }

    @Test
    void register_emptyStoreOrGroup_is400NamingTheFields_andNothingIsRegistered() {
        String id = uniqueDeviceId("empty");
        operator().contentType("application/json").body("{\"deviceId\":\"" + id + "\",\"storeId\":\"\",\"groupId\":\"\"}")
                .when().post("/api/devices").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("storeId", "groupId")))
                .body("errors[0].message", equalTo("must not be empty; leave it out instead"));
        operator().when().get("/api/devices/" + id).then().statusCode(404);
    }

    @Test
    void rotate_oldTokenStopsWorking_newOneWorks() {
        String id = uniqueDeviceId("rot");
        String old = registerDevice(id, null, null, null);
        kiosk(old).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);

        String fresh = operator().when().post("/api/devices/" + id + "/token")
                .then().statusCode(200).body("deviceId", equalTo(id)).extract().path("token");

        kiosk(old).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(401);
        kiosk(fresh).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);
        operator().when().post("/api/devices/unknown-device-x/token").then().statusCode(404);
    }

    @Test
    void revoke_tokenIs401_recordsStay_andRevokeIsIdempotent() {
        String id = uniqueDeviceId("rev");
        String token = registerDevice(id, null, null, null);
        var body = newSession(1);
        kiosk(token).contentType("application/json").body(body.toString()).post("/api/sessions").then().statusCode(201);

        operator().when().delete("/api/devices/" + id).then().statusCode(204);
        operator().when().delete("/api/devices/" + id).then().statusCode(204);

        kiosk(token).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(401);
        operator().when().get("/api/sessions/" + body.get("sessionId").asText()).then().statusCode(200);
        operator().when().get("/api/devices/" + id).then().body("revoked", equalTo(true)).body("revokedAt", notNullValue());
        operator().when().delete("/api/devices/never-registered").then().statusCode(404);
    }

    @Test
    void rotatingARevokedDevice_is409_andLeavesItRevoked_restoreBringsItBackWithANewToken() {
        String id = uniqueDeviceId("back");
        String first = registerDevice(id, null, null, null);
        operator().when().delete("/api/devices/" + id).then().statusCode(204);

        operator().when().post("/api/devices/" + id + "/token").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("restore"));
        operator().when().get("/api/devices/" + id).then().body("revoked", equalTo(true));
        kiosk(first).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(401);

        String restored = operator().when().post("/api/devices/" + id + "/restore")
                .then().statusCode(200).body("deviceId", equalTo(id)).extract().path("token");
        operator().when().get("/api/devices/" + id).then().body("revoked", equalTo(false)).body("revokedAt", nullValue());
        kiosk(first).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(401);
        kiosk(restored).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);

        operator().when().post("/api/devices/" + id + "/restore").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not revoked"));
        operator().when().post("/api/devices/never-registered/restore").then().statusCode(404);
        kiosk(restored).when().post("/api/devices/" + id + "/restore").then().statusCode(403);
    }

    @Test
    void hundredKioskRequestsWithinAMinute_writeLastSeenAtOnce() {
        // GIVEN a kiosk whose first accepted request sets lastSeenAt
        String id = uniqueDeviceId("seen");
        String token = registerDevice(id, null, null, null);
        kiosk(token).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);
        String first = operator().when().get("/api/devices/" + id).then().extract().path("lastSeenAt");

        // WHEN 99 more requests follow within the minute
        for (int i = 0; i < 99; i++) {
            kiosk(token).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);
        }

        // THEN lastSeenAt was not written again
        operator().when().get("/api/devices/" + id).then().body("lastSeenAt", equalTo(first));
        assertTrue(first != null);
    }

    @Test
    void operatorRoutes_needTheAdminToken() {
        String token = registerDevice(uniqueDeviceId("op"), null, null, null);
        kiosk(token).when().get("/api/devices").then().statusCode(403);
        kiosk("wrong-admin-token").when().get("/api/devices").then().statusCode(401);
        io.restassured.RestAssured.given().when().get("/api/devices").then().statusCode(401);
    }

    @Test
    void list_byStore_cursorWalk_andLastSeenAt_andSilentFor() {
        String store = "store-" + uniqueDeviceId("s");
        List<String> ids = new ArrayList<>();
        String activeToken = null;
        for (int i = 0; i < 7; i++) {
            String id = uniqueDeviceId("lst");
            String t = registerDevice(id, store, "grp-list", null);
            ids.add(id);
            if (i == 0) {
                activeToken = t;
            }
        }
        // one kiosk calls in: its lastSeenAt is set
        kiosk(activeToken).contentType("application/json").body(newSession(1).toString()).post("/api/sessions").then().statusCode(201);

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Response r = operator().when().get("/api/devices?storeId=" + store + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            r.then().statusCode(200);
            walked.addAll(r.jsonPath().getList("items.deviceId"));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertEquals(ids.stream().sorted().toList(), walked);

        operator().when().get("/api/devices/" + ids.get(0)).then().body("lastSeenAt", notNullValue());
        operator().when().get("/api/devices?storeId=" + store + "&silentFor=PT30M&limit=10").then().statusCode(200)
                .body("items.deviceId", not(hasItem(ids.get(0))))
                .body("items.size()", equalTo(6));
        operator().when().get("/api/devices?silentFor=thirty").then().statusCode(400).body("errors[0].field", equalTo("silentFor"));
    }
}
