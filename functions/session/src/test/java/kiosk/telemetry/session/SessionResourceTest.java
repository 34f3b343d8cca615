package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static kiosk.telemetry.session.Api.ago;
import static kiosk.telemetry.session.Api.createSession;
import static kiosk.telemetry.session.Api.fixture;
import static kiosk.telemetry.session.Api.kiosk;
import static kiosk.telemetry.session.Api.newSession;
import static kiosk.telemetry.session.Api.operator;
import static kiosk.telemetry.session.Api.registerDevice;
import static kiosk.telemetry.session.Api.uniqueDeviceId;
import static kiosk.telemetry.session.Api.uuid;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class SessionResourceTest {

    @Inject
    Clock clock;

    private String deviceId;
    private String token;

    @BeforeEach
    void registerKiosk() {
        deviceId = uniqueDeviceId("kiosk");
        token = registerDevice(deviceId, "store-12", "grp-seoul", "KR");
    }

    // ---------------------------------------------------------------- create

    @Test
    void create_returns201_thenStoresSessionStartedWithRegistryDimensions() {
        // GIVEN a valid new session without store/group/country
        ObjectNode body = newSession(5);

        // WHEN the kiosk posts it
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(201)
                .body("sessionId", equalTo(body.get("sessionId").asText()))
                .body("created", equalTo(true));

        // THEN it is stored as started, seq 0, with the device's registry dimensions
        operator().when().get("/api/sessions/" + body.get("sessionId").asText())
                .then().statusCode(200)
                .body("status", equalTo("started"))
                .body("seq", equalTo(0))
                .body("deviceId", equalTo(deviceId))
                .body("storeId", equalTo("store-12"))
                .body("groupId", equalTo("grp-seoul"))
                .body("countryCode", equalTo("KR"))
                .body("experiments.frameLayout", equalTo("B"))
                .body("startedAt", equalTo(body.get("startedAt").asText()));
    }

    @Test
    void create_bodyPlacementContradictingTheRegistry_isStoredWithTheRegistrysValues() {
        // GIVEN a kiosk registered in store-12 / grp-seoul / KR whose app still sends an old placement
        ObjectNode body = newSession(5).put("storeId", "store-99").put("groupId", "grp-busan").put("countryCode", "JP");

        // WHEN it posts a session: the visit is accepted, not refused
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions").then().statusCode(201);

        // THEN the registry's placement is stored, and the session is listed under it, not under the body's
        String id = body.get("sessionId").asText();
        operator().when().get("/api/sessions/" + id).then().statusCode(200)
                .body("storeId", equalTo("store-12")).body("groupId", equalTo("grp-seoul")).body("countryCode", equalTo("KR"));
        assertEquals(List.of(), walk("/api/sessions?storeId=store-99&limit=10").stream().filter(id::equals).toList());
        assertEquals(List.of(id), walk("/api/sessions?deviceId=" + deviceId + "&storeId=store-12&limit=10").stream().filter(id::equals).toList());
    }

    @Test
    void create_bodyPlacement_fillsWhatTheRegistryLeavesOpen() {
        // GIVEN a kiosk registered with a store only
        String partial = registerDevice(uniqueDeviceId("part"), "store-7", null, null);
        ObjectNode body = newSession(5).put("storeId", "store-8").put("groupId", "grp-jeju").put("countryCode", "KR");

        kiosk(partial).contentType("application/json").body(body.toString()).when().post("/api/sessions").then().statusCode(201);

        // THEN the registry's store, and the body's group and country where the registry has none
        operator().when().get("/api/sessions/" + body.get("sessionId").asText()).then().statusCode(200)
                .body("storeId", equalTo("store-7")).body("groupId", equalTo("grp-jeju")).body("countryCode", equalTo("KR"));
    }

    @Test
    void create_sameIdAgain_returns200NotCreated_andFirstWriteWins() {
        ObjectNode body = newSession(5);
        createSession(token, body);

        ObjectNode again = body.deepCopy().put("appVersion", "9.9.9");
        kiosk(token).contentType("application/json").body(again.toString())
                .when().post("/api/sessions")
                .then().statusCode(200).body("created", equalTo(false));

        operator().when().get("/api/sessions/" + body.get("sessionId").asText())
                .then().body("appVersion", equalTo("3.2.0"));
    }

    @Test
    void create_sameIdFromAnotherDevice_returns409() {
        ObjectNode body = newSession(5);
        createSession(token, body);
        String other = registerDevice(uniqueDeviceId("other"), null, null, null);

        kiosk(other).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(409).contentType("application/problem+json").body("status", equalTo(409));
    }

    @Test
    void create_bodyDeviceIdOfAnotherDevice_returns403_evenWhenBodyIsOtherwiseInvalid() {
        ObjectNode body = newSession(5).put("deviceId", "someone-else");
        body.remove("startedAt");
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void create_twentyConcurrentIdenticalPosts_createExactlyOne() throws Exception {
        // GIVEN one session body
        ObjectNode body = newSession(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> kiosk(token).contentType("application/json").body(body.toString()).post("/api/sessions"));
            }
            // WHEN 20 identical requests race
            List<Future<Response>> results = pool.invokeAll(calls);
            int created = 0;
            int duplicates = 0;
            for (Future<Response> f : results) {
                Response r = f.get();
                if (r.statusCode() == 201 && r.jsonPath().getBoolean("created")) {
                    created++;
                } else if (r.statusCode() == 200 && !r.jsonPath().getBoolean("created")) {
                    duplicates++;
                }
            }
            // THEN exactly one created it, the other 19 saw a duplicate
            assertEquals(1, created);
            assertEquals(19, duplicates);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void create_invalidFields_return400WithEveryFieldNamed() {
        ObjectNode body = fixture("session-valid.json")
                .put("sessionId", "not-a-uuid")
                .put("startedAt", "2025-01-19 10:00")
                .put("countryCode", "kr");
        body.put("appVersion", 5);
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("sessionId"))
                .body("errors.field", hasItem("startedAt"))
                .body("errors.field", hasItem("countryCode"))
                .body("errors.field", hasItem("appVersion"));
    }

    @Test
    void create_emptyStoreOrGroup_is400NamingTheFields_andNothingIsStored() {
        ObjectNode body = newSession(1).put("storeId", "").put("groupId", "");
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("storeId", "groupId")));
        operator().when().get("/api/sessions/" + body.get("sessionId").asText()).then().statusCode(404);
    }

    @Test
    void create_timestampWindow_isInclusiveAndRejectsOutside() {
        // 31 days in the past and 10 minutes in the future are rejected
        for (String startedAt : List.of(ago(31, ChronoUnit.DAYS), clock.instant().plus(10, ChronoUnit.MINUTES).toString())) {
            kiosk(token).contentType("application/json").body(newSession(0).put("startedAt", startedAt).toString())
                    .when().post("/api/sessions")
                    .then().statusCode(400).body("errors[0].field", equalTo("startedAt"));
        }
        // 29 days back and 4 minutes ahead are accepted
        for (String startedAt : List.of(ago(29, ChronoUnit.DAYS), clock.instant().plus(4, ChronoUnit.MINUTES).toString())) {
            kiosk(token).contentType("application/json").body(newSession(0).put("startedAt", startedAt).toString())
                    .when().post("/api/sessions")
                    .then().statusCode(201);
        }
    }

    @Test
    void create_experimentsOver8KiB_returns400() {
        ObjectNode body = newSession(1);
        body.putObject("experiments").put("blob", "x".repeat(8200));
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("experiments"));
    }

    // ---------------------------------------------------------------- transport errors

    @Test
    void malformedJson_returns400Problem() {
        kiosk(token).contentType("application/json").body("{\"sessionId\": ")
                .when().post("/api/sessions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad Request")).body("detail", containsString("malformed JSON"));
    }

    @Test
    void bodyOver1MiB_returns413() {
        ObjectNode body = newSession(1).put("pad", "x".repeat(1024 * 1024));
        kiosk(token).contentType("application/json").body(body.toString())
                .when().post("/api/sessions")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void wrongMediaType_returns415() {
        kiosk(token).contentType("text/plain").body(newSession(1).toString())
                .when().post("/api/sessions")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void unknownRoute_returns404_andWrongMethod_returns405() {
        operator().when().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        operator().when().delete("/api/sessions").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void auth_missingOrUnknownToken_is401_adminOnKioskRoute_is403_deviceOnOperatorRoute_is403() {
        io.restassured.RestAssured.given().contentType("application/json").body(newSession(1).toString())
                .when().post("/api/sessions").then().statusCode(401);
        kiosk("kt1.bm9ib2R5.AAAA").contentType("application/json").body(newSession(1).toString())
                .when().post("/api/sessions").then().statusCode(401);
        kiosk(Api.ADMIN_TOKEN).contentType("application/json").body(newSession(1).toString())
                .when().post("/api/sessions").then().statusCode(403);
        kiosk(token).when().get("/api/sessions").then().statusCode(403);
        io.restassured.RestAssured.given().when().get("/api/sessions").then().statusCode(401);
    }

    // ---------------------------------------------------------------- patch

    @Test
    void patch_appliesGreaterSeq_replacesTopLevelFieldsWhole() {
        Instant started = clock.instant().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        String id = createSession(token, newSession(0).put("startedAt", started.toString()));
        ObjectNode patch = fixture("session-patch-complete.json")
                .put("endedAt", started.plus(3, ChronoUnit.MINUTES).toString());
        ((ObjectNode) patch.get("funnel").get("stages").get(0)).put("enteredAt", ago(10, ChronoUnit.MINUTES)).put("exitedAt", ago(9, ChronoUnit.MINUTES));
        ((ObjectNode) patch.get("funnel").get("stages").get(1)).put("enteredAt", ago(9, ChronoUnit.MINUTES)).put("exitedAt", ago(8, ChronoUnit.MINUTES));

        kiosk(token).contentType("application/json").body(patch.toString())
                .when().patch("/api/sessions/" + id)
                .then().statusCode(200).body("applied", equalTo(true));

        operator().when().get("/api/sessions/" + id).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("seq", equalTo(4))
                .body("behavior.totalTaps", equalTo(31))
                .body("behavior.screenDurationsMs.capture", equalTo(41000))
                .body("funnel.stages.stage", equalTo(List.of("attract", "capture")))
                .body("durationMs", equalTo(3 * 60_000));
    }

    @Test
    void patch_staleOrEqualSeq_isNotApplied_andChangesNothing() {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":5,\"status\":\"in_progress\",\"exitReason\":\"first\"}").then().body("applied", equalTo(true));

        patch(id, "{\"seq\":5,\"exitReason\":\"equal\"}").then().statusCode(200).body("applied", equalTo(false));
        patch(id, "{\"seq\":3,\"status\":\"abandoned\",\"exitReason\":\"older\"}").then().statusCode(200).body("applied", equalTo(false));

        operator().when().get("/api/sessions/" + id).then()
                .body("seq", equalTo(5)).body("status", equalTo("in_progress")).body("exitReason", equalTo("first"));
    }

    @Test
    void patch_nullStatusAndAnotherBadField_areNamedInOneAnswer_andNothingChanges() {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":2,\"status\":null,\"exitReason\":7}").then().statusCode(400)
                .body("errors.field", equalTo(List.of("status", "exitReason")))
                .body("errors[0].message", equalTo("is required"));
        operator().when().get("/api/sessions/" + id).then().body("seq", equalTo(0)).body("status", equalTo("started"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "in_progress, started",
            "completed, started", "completed, in_progress", "completed, abandoned",
            "abandoned, completed", "timeout, in_progress", "error, completed", "error, started"})
    void patch_illegalTransition_returns409_andLeavesSessionUnchanged(String from, String to) {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":1,\"status\":\"" + from + "\"}").then().statusCode(200).body("applied", equalTo(true));

        patch(id, "{\"seq\":2,\"status\":\"" + to + "\"}").then().statusCode(409).contentType("application/problem+json");

        operator().when().get("/api/sessions/" + id).then().body("status", equalTo(from)).body("seq", equalTo(1));
    }

    @ParameterizedTest(name = "started -> {0}")
    @CsvSource({"in_progress", "completed", "abandoned", "timeout", "error", "started"})
    void patch_legalMovesFromStarted_areApplied(String to) {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":1,\"status\":\"" + to + "\"}").then().statusCode(200).body("applied", equalTo(true));
    }

    @Test
    void patch_terminalSession_stillTakesOtherFields_andSameStatus() {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":1,\"status\":\"completed\"}").then().body("applied", equalTo(true));
        patch(id, "{\"seq\":2,\"status\":\"completed\",\"exitReason\":\"late note\"}").then().statusCode(200).body("applied", equalTo(true));
        patch(id, "{\"seq\":3,\"behavior\":{\"totalTaps\":3}}").then().statusCode(200).body("applied", equalTo(true));
        operator().when().get("/api/sessions/" + id).then()
                .body("exitReason", equalTo("late note")).body("behavior.totalTaps", equalTo(3)).body("status", equalTo("completed"));
    }

    @Test
    void patch_nullClearsAField() {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":1,\"exitReason\":\"x\"}").then().body("applied", equalTo(true));
        patch(id, "{\"seq\":2,\"exitReason\":null}").then().body("applied", equalTo(true));
        operator().when().get("/api/sessions/" + id).then().body("exitReason", nullValue());
    }

    @Test
    void patch_unknownSession_is404_foreignSession_is403_badBody_is400() {
        patch(uuid(), "{\"seq\":1}").then().statusCode(404);
        patch(uuid(), "{\"seq\":\"1\"}").then().statusCode(400).body("errors[0].field", equalTo("seq"));

        String id = createSession(token, newSession(10));
        String other = registerDevice(uniqueDeviceId("other"), null, null, null);
        kiosk(other).contentType("application/json").body("{\"seq\":\"not even valid\"}")
                .when().patch("/api/sessions/" + id).then().statusCode(403);
    }

    @Test
    void patch_strictTypes_andNestedFieldPaths() {
        String id = createSession(token, newSession(10));
        patch(id, "{\"seq\":1.5}").then().statusCode(400).body("errors[0].field", equalTo("seq"));
        patch(id, "{\"seq\":9007199254740992}").then().statusCode(400).body("errors[0].field", equalTo("seq"));
        patch(id, "{\"seq\":1,\"status\":\"done\"}").then().statusCode(400).body("errors[0].field", equalTo("status"));
        patch(id, "{\"seq\":1,\"funnel\":{\"stages\":[{\"stage\":\"capture\"},{\"stage\":\"print3\"}]}}")
                .then().statusCode(400).body("errors[0].field", equalTo("funnel.stages[1].stage"));
        patch(id, "{\"seq\":1,\"behavior\":{\"totalTaps\":true}}")
                .then().statusCode(400).body("errors[0].field", equalTo("behavior.totalTaps"));
        operator().when().get("/api/sessions/" + id).then().body("seq", equalTo(0));
    }

    // ---------------------------------------------------------------- lists

    @Test
    void list_byDevice_cursorWalk_hasNoDuplicatesNoGaps_newestFirst() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            created.add(createSession(token, newSession(100 + i * 7L)));
        }
        List<String> seen = walk("/api/sessions?deviceId=" + deviceId + "&limit=5");
        assertEquals(23, seen.size());
        assertEquals(created, new HashSet<>(seen));
    }

    @Test
    void list_acrossDayShards_withRangeAndStatusFilter_walksEveryMatchOnce() {
        // GIVEN sessions spread over three reporting days, some completed
        Instant base = clock.instant().minus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Set<String> completed = new HashSet<>();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            ObjectNode body = newSession(0).put("startedAt", base.plus(i * 137L, ChronoUnit.MINUTES).toString());
            String id = createSession(token, body);
            all.add(id);
            if (i % 3 == 0) {
                patch(id, "{\"seq\":1,\"status\":\"completed\"}").then().body("applied", equalTo(true));
                completed.add(id);
            }
        }
        String range = "from=" + base + "&to=" + base.plus(30 * 137L, ChronoUnit.MINUTES);

        // WHEN walking the unfiltered day index and the status-filtered one with small pages
        List<String> every = walk("/api/sessions?" + range + "&limit=4");
        List<String> done = walk("/api/sessions?" + range + "&status=completed&limit=3");

        // THEN each lists exactly its sessions once
        assertEquals(all, new HashSet<>(every));
        assertEquals(30, every.size());
        assertEquals(completed, new HashSet<>(done));
        assertEquals(completed.size(), done.size());
    }

    @Test
    void list_filtersByStoreGroupAndCountry() {
        // GIVEN two kiosks in different stores, groups and countries, one session each at the same time
        String tag = uniqueDeviceId("f");
        String tokenA = registerDevice(uniqueDeviceId("fa"), "store-a-" + tag, "grp-a-" + tag, "KR");
        String tokenB = registerDevice(uniqueDeviceId("fb"), "store-b-" + tag, "grp-b-" + tag, "JP");
        Instant at = clock.instant().minus(25, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String a = createSession(tokenA, newSession(0).put("startedAt", at.toString()));
        String b = createSession(tokenB, newSession(0).put("startedAt", at.toString()));
        String range = "&from=" + at + "&to=" + at.plusSeconds(1);

        // THEN each filter finds exactly its own session
        assertEquals(List.of(a), walk("/api/sessions?storeId=store-a-" + tag + "&limit=10"));
        assertEquals(List.of(b), walk("/api/sessions?groupId=grp-b-" + tag + "&limit=10"));
        assertEquals(List.of(b), walk("/api/sessions?countryCode=JP" + range + "&limit=10").stream().filter(x -> x.equals(a) || x.equals(b)).toList());
        assertEquals(List.of(), walk("/api/sessions?storeId=store-a-" + tag + "&groupId=grp-b-" + tag + "&limit=10"));
        assertEquals(new HashSet<>(List.of(a, b)), new HashSet<>(walk("/api/sessions?limit=10" + range).stream()
                .filter(x -> x.equals(a) || x.equals(b)).toList()));
    }

    @Test
    void list_cursorTamperedOrFromAnotherQuery_is400_andLimitOver500_is400() {
        for (int i = 0; i < 3; i++) {
            createSession(token, newSession(30 + i));
        }
        String cursor = operator().when().get("/api/sessions?deviceId=" + deviceId + "&limit=1")
                .then().statusCode(200).extract().path("nextCursor");
        String tampered = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
        operator().when().get("/api/sessions?deviceId=" + deviceId + "&limit=1&cursor=" + tampered)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        operator().when().get("/api/sessions?deviceId=" + deviceId + "&status=completed&limit=1&cursor=" + cursor)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        operator().when().get("/api/sessions?limit=501").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        operator().when().get("/api/sessions?from=yesterday").then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    private Response patch(String id, String body) {
        return kiosk(token).contentType("application/json").body(body).when().patch("/api/sessions/" + id);
    }

    /** Follows nextCursor to the end; checks newest-first order within and across pages. */
    static List<String> walk(String firstUrl) {
        List<String> ids = new ArrayList<>();
        String last = null;
        String cursor = null;
        int pages = 0;
        do {
            String url = cursor == null ? firstUrl : firstUrl + "&cursor=" + cursor;
            Response r = operator().when().get(url);
            r.then().statusCode(200);
            List<String> pageIds = r.jsonPath().getList("items.sessionId");
            List<String> starts = r.jsonPath().getList("items.startedAt");
            for (int i = 0; i < pageIds.size(); i++) {
                String key = starts.get(i) + "#" + pageIds.get(i);
                assertTrue(last == null || key.compareTo(last) < 0, "newest first: " + key + " after " + last);
                last = key;
                ids.add(pageIds.get(i));
            }
            cursor = r.jsonPath().getString("nextCursor");
            assertTrue(++pages < 200, "cursor walk does not end");
        } while (cursor != null);
        return ids;
    }
}
