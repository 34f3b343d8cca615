package kiosk.telemetry.aggregate;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The local stack's dashboard users (token mode): each token from the users file calls with its role and reach,
 * over HTTP, as the dashboard does locally.
 */
@QuarkusTest
@TestProfile(LocalUsersTest.WithUsers.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class LocalUsersTest {

    static final String VIEWER = "viewer-token-local-0001";
    static final String OPERATOR = "operator-token-local-0001";
    static final String STORE_VIEWER = "store-viewer-token-0001";

    public static class WithUsers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path f = Files.createTempFile("users", ".json");
                Files.writeString(f, """
                        [{"name":"vera","role":"viewer","token":"%s"},
                         {"name":"otto","role":"operator","token":"%s"},
                         {"name":"sora","role":"viewer","token":"%s","stores":["store-7"],"groups":["busan"]}]"""
                        .formatted(VIEWER, OPERATOR, STORE_VIEWER));
                f.toFile().deleteOnExit();
                return Map.of("telemetry.auth.users-file", f.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    Clock clock;

    /** The reporting day {@code days} before the application's today. */
    private LocalDate daysAgo(int days) {
        return LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Seoul")).minusDays(days);
    }

    /** Two days of figures, as a dashboard view asks for them. */
    private String range() {
        return "from=" + daysAgo(3) + "&to=" + daysAgo(2);
    }

    private static Response get(String token, String path) {
        return given().header("Authorization", "Bearer " + token).when().get(path);
    }

    @Test
    void me_saysWhoIsSignedIn_withTheRoleAndReachOfTheFile() {
        assertEquals("{\"principal\":\"vera\",\"role\":\"viewer\",\"stores\":[],\"groups\":[]}", get(VIEWER, "/api/me").asString());
        assertEquals("{\"principal\":\"sora\",\"role\":\"viewer\",\"stores\":[\"store-7\"],\"groups\":[\"busan\"]}",
                get(STORE_VIEWER, "/api/me").asString());
        assertEquals("{\"principal\":\"admin-token\",\"role\":\"operator\",\"stores\":[],\"groups\":[]}",
                get("test-admin-token", "/api/me").asString());
        given().when().get("/api/me").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-user-token-at-all").when().get("/api/me").then().statusCode(401);
    }

    @Test
    void aViewer_readsEverything_butStartsNoRun_andAnOperatorDoes() {
        assertEquals(200, get(VIEWER, "/api/insights/overview?" + range()).statusCode());
        assertEquals(200, get(VIEWER, "/api/daily-summary/runs").statusCode());
        LocalDate day = daysAgo(9);
        String body = "{\"date\":\"" + day + "\"}";
        Response refused = given().header("Authorization", "Bearer " + VIEWER).contentType("application/json").body(body)
                .when().post("/api/daily-summary/aggregate");
        assertEquals(403, refused.statusCode());
        assertEquals("vera is a viewer: this route needs the operator role", refused.jsonPath().getString("detail"));
        assertEquals(false, runDates().contains(day.toString()), "the refused request started nothing");
        Response started = given().header("Authorization", "Bearer " + OPERATOR).contentType("application/json").body(body)
                .when().post("/api/daily-summary/aggregate");
        assertEquals(202, started.statusCode(), started.asString());
        assertEquals(true, runDates().contains(day.toString()), "the newest runs come first, so the check above could see one");
    }

    /** The days of the newest runs (the list comes newest first). */
    private static String runDates() {
        return get(OPERATOR, "/api/daily-summary/runs?limit=20").jsonPath().getList("items.days.date").toString();
    }

    @Test
    void aStoreViewer_readsItsStoreAndGroup_andNothingFleetWide() {
        assertEquals(200, get(STORE_VIEWER, "/api/insights/overview?" + range() + "&storeId=store-7").statusCode());
        assertEquals(200, get(STORE_VIEWER, "/api/insights/hourly?" + range() + "&groupId=busan").statusCode());
        Response fleet = get(STORE_VIEWER, "/api/insights/overview?" + range());
        assertEquals(403, fleet.statusCode());
        assertEquals("fleet-wide figures are not available to a user limited to stores store-7 and groups busan: give storeId or groupId",
                fleet.jsonPath().getString("detail"));
        assertEquals(403, get(STORE_VIEWER, "/api/insights/overview?" + range() + "&storeId=store-8").statusCode());
        assertEquals(403, get(STORE_VIEWER, "/api/daily-summary/runs").statusCode(), "not a store-scoped route");
        assertEquals(403, get(STORE_VIEWER, "/api/daily-summary/rollups/" + daysAgo(2)
                + "?storeId=store-7").statusCode(), "not a store-scoped route");
    }
}
