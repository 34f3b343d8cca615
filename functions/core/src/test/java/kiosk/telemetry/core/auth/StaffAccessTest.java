package kiosk.telemetry.core.auth;

import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Roles and reach: from a signed-in user's claims (AWS), from the users file (local stack), and what reach allows. */
class StaffAccessTest {

    private final TelemetryConfig.Auth auth = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
            .getConfigMapping(TelemetryConfig.class).auth();

    private static Map<String, String> idToken(String groups) {
        Map<String, String> c = new HashMap<>();
        c.put("token_use", "id");
        c.put("email", "ana@example.com");
        c.put("cognito:username", "4b1d0000-0000");
        if (groups != null) {
            c.put("cognito:groups", groups);
        }
        return c;
    }

    @Test
    void claims_giveTheRoleFromThePoolGroups_inEveryFormApiGatewayHandsThemOn() {
        assertEquals(Access.Role.operator, SignedInUser.access(idToken("[operator]"), auth).role());
        assertEquals(Access.Role.operator, SignedInUser.access(idToken("[viewer operator]"), auth).role(), "both groups: the wider role");
        assertEquals(Access.Role.viewer, SignedInUser.access(idToken("[viewer]"), auth).role());
        assertEquals(Access.Role.viewer, SignedInUser.access(idToken("viewer"), auth).role());
        assertEquals("ana@example.com", SignedInUser.access(idToken("[viewer]"), auth).principal());
        ApiException none = assertThrows(ApiException.class, () -> SignedInUser.access(idToken(null), auth));
        assertEquals(403, none.status());
        assertEquals(403, assertThrows(ApiException.class, () -> SignedInUser.access(idToken("[operators]"), auth)).status(),
                "a group named almost like one is not it");
    }

    @Test
    void claims_giveTheReachFromTheUsersAttributes_andOnlyAnIdTokenIsTaken() {
        Map<String, String> c = idToken("[viewer]");
        c.put("custom:stores", "store-1, store-2");
        c.put("custom:groups", "seoul");
        Access a = SignedInUser.access(c, auth);
        assertEquals(Set.of("store-1", "store-2"), a.stores());
        assertEquals(Set.of("seoul"), a.groups());
        assertTrue(a.limited());
        c.put("custom:stores", " store 7 ,store-8");
        assertEquals(Set.of("store 7", "store-8"), SignedInUser.access(c, auth).stores(), "split on commas only, trimmed");
        c.remove("custom:stores");
        c.remove("custom:groups");
        assertFalse(SignedInUser.access(c, auth).limited(), "no reach attribute: the whole fleet");
        for (String empty : new String[]{"", " ", ",", " , "}) {
            c.put("custom:groups", empty);
            ApiException x = assertThrows(ApiException.class, () -> SignedInUser.access(c, auth), "'" + empty + "'");
            assertEquals(403, x.status(), "an attribute set to nothing is never the whole fleet");
        }

        Map<String, String> access = idToken("[viewer]");
        access.put("token_use", "access");
        assertEquals(401, assertThrows(ApiException.class, () -> SignedInUser.access(access, auth)).status());
        access.remove("token_use");
        assertEquals(401, assertThrows(ApiException.class, () -> SignedInUser.access(access, auth)).status());
    }

    @Test
    void reach_isTheNamedStoresAndGroups_orEverythingWhenNoneAreNamed() {
        Access limited = new Access("v", Access.Role.viewer, Set.of("s1"), Set.of("g1"));
        assertTrue(limited.reaches("s1", null));
        assertTrue(limited.reaches(null, "g1"));
        assertTrue(limited.reaches("s9", "g1"), "a device of another store in a group in reach");
        assertFalse(limited.reaches("s9", "g9"));
        assertFalse(limited.reaches(null, null));
        assertTrue(Access.fleetOperator("x").reaches(null, null));
        assertEquals("stores s1 and groups g1", limited.describeLimit());
    }

    @Test
    void theUsersFile_givesEachTokenItsRoleAndReach(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("users.json");
        Files.writeString(f, """
                [{"name":"vera","role":"viewer","token":"viewer-token-0123456789","stores":["store-1"]},
                 {"name":"otto","role":"operator","token":"operator-token-0123456789","groups":[]}]""");
        var users = OperatorAuth.readUsers(f, "adm.x");
        assertEquals(2, users.size());
        assertEquals(new Access("vera", Access.Role.viewer, Set.of("store-1"), Set.of()), users.get(0).access());
        assertEquals(new Access("otto", Access.Role.operator, Set.of(), Set.of()), users.get(1).access());
    }

    @Test
    void aMistakeInTheUsersFile_stopsTheStartWithTheEntryAndTheReason(@TempDir Path dir) throws Exception {
        Map<String, String> wrong = Map.of(
                "{}", "must hold a JSON array of users",
                "[{\"name\":\"a\",\"role\":\"admin\",\"token\":\"0123456789abcdefgh\"}]", "user 0: role must be viewer or operator",
                "[{\"name\":\"a\",\"role\":\"viewer\",\"token\":\"short\"}]", "user 0: token must have at least 16 characters",
                "[{\"name\":\"a\",\"role\":\"viewer\"}]", "user 0: token is required (a string)",
                "[{\"name\":\"a\",\"role\":\"viewer\",\"token\":\"0123456789abcdefgh\",\"stores\":\"s1\"}]", "user 0: stores must be an array of ids",
                "[{\"name\":\"a\",\"role\":\"viewer\",\"token\":\"0123456789abcdefgh\"},{\"name\":\"b\",\"role\":\"viewer\",\"token\":\"0123456789abcdefgh\"}]",
                "user 1: token is used twice");
        for (var e : wrong.entrySet()) {
            Path f = dir.resolve("u" + Math.abs(e.getKey().hashCode()) + ".json");
            Files.writeString(f, e.getKey());
            RuntimeException x = assertThrows(RuntimeException.class, () -> OperatorAuth.readUsers(f, "adm.x"), e.getKey());
            assertTrue(x.getMessage().endsWith(e.getValue()), e.getKey() + " -> " + x.getMessage());
        }
        Path admin = dir.resolve("admin.json");
        Files.writeString(admin, "[{\"name\":\"a\",\"role\":\"viewer\",\"token\":\"adm.0123456789abcdef\"}]");
        assertThrows(IllegalArgumentException.class, () -> OperatorAuth.readUsers(admin, "adm.0123456789abcdef"), "the admin token again");
        assertEquals(List.of(), OperatorAuth.readUsers(write(dir, "[]"), "adm.x"));
    }

    private static Path write(Path dir, String text) throws Exception {
        Path f = dir.resolve("empty.json");
        Files.writeString(f, text);
        return f;
    }
}
