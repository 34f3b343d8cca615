package kiosk.telemetry.local.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

import static kiosk.telemetry.local.dashboard.Shown.assertShows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing in to the dashboard with Cognito's hosted login (authorization code with PKCE), and the page adapting to
 * the signed-in user's role and stores, in a real browser against the packaged local stack. The stack runs with
 * {@code TELEMETRY_DASHBOARD_SIGN_IN=cognito}, pointed at {@link FakeHostedLogin} in this JVM, and with a users
 * file whose tokens are the ID tokens that server hands out: an operator, a viewer of the whole fleet, and a viewer
 * limited to one store. Every new state is saved as a screenshot at 1280×800 and 390×844 under
 * target/dashboard-screenshots/, and must fit both without scrolling sideways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardSignInIT {

    private static final String ADMIN = "dashboard-signin-it-admin";
    private static final String TOKEN_KEY = "kiosk-telemetry.token";
    private static final String MY_STORE = "store-gangnam";

    private FakeHostedLogin pool;
    private StackProcess stack;
    private FleetSeed seed;
    private Browser browser;
    private String range;

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        pool = FakeHostedLogin.start();
        pool.addUser("olga", "operator", List.of(), List.of());
        pool.addUser("vera", "viewer", List.of(), List.of());
        pool.addUser("sami", "viewer", List.of(MY_STORE), List.of());
        Path users = pool.writeUsersFile();
        stack = StackProcess.start(ADMIN, Map.of(
                "TELEMETRY_AGGREGATION_SETTLE", "PT0S",
                "TELEMETRY_AUTH_USERS_FILE", users.toString(),
                "TELEMETRY_DASHBOARD_SIGN_IN", "cognito",
                "TELEMETRY_DASHBOARD_COGNITO_DOMAIN", pool.domain(),
                "TELEMETRY_DASHBOARD_CLIENT_ID", FakeHostedLogin.CLIENT_ID));
        pool.expectRedirectUri(stack.base() + "/");
        long t1 = System.nanoTime();
        CompletableFuture<Browser> starting = CompletableFuture.supplyAsync(() -> Browser.start(stack.base()));
        try {
            seed = FleetSeed.write(stack);
        } finally {
            browser = starting.join();
        }
        range = "from=" + seed.day(4) + "&to=" + seed.day(1);
        System.out.printf("DashboardSignInIT: stack up in %d ms, data set written and aggregated in %d ms%n",
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @AfterEach
    void consoleHasNoErrors() {
        if (browser != null) {
            List<LogEntry> errors = problems();
            assertTrue(errors.isEmpty(), "browser console: " + errors);
        }
    }

    private List<LogEntry> problems() {
        return browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    /** The console entries since the last look are only the refusals this test provoked (status codes given). */
    private void onlyRefusals(String... statuses) {
        List<LogEntry> seen = problems();
        assertFalse(seen.isEmpty(), "the refused requests show in the console");
        assertTrue(seen.stream().allMatch(e -> List.of(statuses).stream().anyMatch(s -> e.getMessage().contains(" " + s + " "))),
                "only the refused requests " + List.of(statuses) + ": " + seen);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private String base() {
        return stack.base();
    }

    /** A fresh tab's state: nothing kept, the page loaded at this hash, its sign-in screen up. */
    private void freshAt(String hash) {
        if (browser.driver.getCurrentUrl().startsWith(base())) {
            browser.js("sessionStorage.clear()");
        }
        browser.driver.get("about:blank"); // so the next address loads the page anew, not just its hash
        browser.driver.get(base() + "/" + hash);
        awaitSignInScreen();
    }

    private void awaitSignInScreen() {
        browser.awaitTrue("return !document.getElementById('login').hidden && document.activeElement.id === 'cognito-signin'");
    }

    /** Signs {@code user} in through the hosted login from the sign-in screen, and waits for the view. */
    private void signInAs(String user) {
        pool.nextUser = user;
        browser.find("#cognito-signin").click();
        browser.awaitTrue("return document.getElementById('login').hidden && !document.getElementById('who').hidden");
        browser.awaitView();
    }

    private String kept(String key) {
        return (String) browser.js("return sessionStorage.getItem(arguments[0])", key);
    }

    /** Screenshots at both sizes; at each the page must not scroll sideways. Back to 1280×800 after. */
    private Path shots(String name) {
        Path desktop = null;
        try {
            for (int[] size : new int[][] {{390, 844}, {1280, 800}}) {
                browser.viewport(size[0], size[1]);
                browser.awaitTrue("return document.getElementById('view').getAttribute('aria-busy') !== 'true'");
                long overflow = ((Number) browser.js("return document.documentElement.scrollWidth - window.innerWidth")).longValue();
                assertTrue(overflow <= 0, name + " at " + size[0] + "×" + size[1] + ": the page scrolls sideways by " + overflow + " px");
                desktop = browser.screenshot(name);
            }
        } finally {
            browser.viewport(1280, 800);
        }
        return desktop;
    }

    private String overviewSessions() {
        return (String) browser.js("return document.querySelector(\"[data-kpi='sessions'] .value\").innerText");
    }

    private JsonNode overview(String... scope) throws Exception {
        Map<String, String> q = new java.util.LinkedHashMap<>(Map.of("from", seed.day(4).toString(), "to", seed.day(1).toString()));
        for (int i = 0; i < scope.length; i += 2) {
            q.put(scope[i], scope[i + 1]);
        }
        return stack.get("/api/insights/overview", q);
    }

    private String detailFor(String token, String path, int status) throws Exception {
        HttpResponse<String> r = stack.send("GET", path, token, null);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        return StackProcess.JSON.readTree(r.body()).get("detail").asText();
    }

    // --- tests ------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theStackServesTheCognitoConfig_andItsPolicyLetsThePageReachTheTokenEndpoint() throws Exception {
        HttpResponse<String> config = stack.send("GET", "/config.json", null, null);
        assertEquals(200, config.statusCode());
        assertEquals(StackProcess.JSON.readTree("{\"signIn\":\"cognito\",\"apiBase\":\"\",\"cognito\":{\"domain\":\"" + pool.domain()
                        + "\",\"clientId\":\"" + FakeHostedLogin.CLIENT_ID + "\",\"redirectUri\":\"" + base() + "/\"}}"),
                StackProcess.JSON.readTree(config.body()));
        String csp = stack.send("GET", "/", null, null).headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("connect-src 'self' " + pool.domain() + ";"), csp);
        assertTrue(csp.contains("script-src 'self';") && csp.contains("form-action 'self'"), csp);
    }

    @Test
    @Order(2)
    void anOperatorSignsInThroughTheHostedLogin_withAValidPkcePair_andTheDeepLinkSurvivesTheRoundTrip() throws Exception {
        String deepLink = "#/overview?" + range + "&storeId=store-hongdae";
        freshAt(deepLink);
        assertTrue(browser.find("#login-token").getAttribute("hidden") != null, "no token field in cognito mode");
        assertEquals("Sign in", browser.text("#cognito-signin"));
        shots("signin-cognito");

        signInAs("olga");
        assertEquals(deepLink, browser.hash(), "the view opened before signing in");
        assertEquals(base() + "/" + deepLink, browser.driver.getCurrentUrl(), "code and state are gone from the address");
        assertEquals("Overview", browser.text("#view h1"));
        assertEquals("view-title", browser.js("return document.activeElement.id"), "the focus is on the view's heading");
        assertShows(overview("storeId", "store-hongdae").at("/sessions/total"), overviewSessions(), "store-hongdae's sessions");
        assertEquals("Signed in as olga, operator", browser.text("#who"));

        // The pool saw one authorization request and one valid PKCE pair for it.
        assertEquals(1, pool.exchanges.size(), "one code traded: " + pool.exchanges);
        FakeHostedLogin.Exchange x = pool.exchanges.get(0);
        assertTrue(x.valid(), "every check of the token endpoint passed: " + x);
        assertEquals("olga", x.user());
        assertTrue(FakeHostedLogin.verifierShaped(x.verifier()), "a verifier of 43–128 unreserved characters: " + x.verifier());
        Map<String, String> asked = pool.authorizeRequests.get(pool.authorizeRequests.size() - 1);
        assertEquals(FakeHostedLogin.challengeOf(x.verifier()), asked.get("code_challenge"), "challenge = base64url(SHA-256(verifier))");
        assertEquals("S256", asked.get("code_challenge_method"));
        assertEquals("openid email", asked.get("scope"));
        assertEquals(base() + "/", asked.get("redirect_uri"));
        assertTrue(asked.get("state").length() >= 22, "a random state: " + asked.get("state"));
        assertEquals(base(), x.origin(), "the token was fetched by the page (CORS)");

        // Kept: the ID token only (no verifier, state, access or refresh token), and it is not in the page.
        String id = pool.user("olga").idToken();
        assertEquals(id, kept(TOKEN_KEY));
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) browser.js("return Object.keys(sessionStorage)");
        assertEquals(List.of("kiosk-telemetry.token", "kiosk-telemetry.token-expires"), keys.stream().sorted().toList());
        long lifetime = (long) (Double.parseDouble(kept("kiosk-telemetry.token-expires"))
                - ((Number) browser.js("return Date.now()")).doubleValue());
        assertTrue(lifetime > Duration.ofMinutes(59).toMillis() && lifetime <= Duration.ofHours(1).toMillis(), "an hour: " + lifetime);
        assertFalse(browser.driver.getPageSource().contains(id), "the ID token is not written into the page");

        Path shot = shots("overview-operator");
        Files.copy(shot, Path.of("target", "dashboard-screenshots", "dashboard-overview.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(3)
    void aChangedState_orARefusal_isRefusedInWords_andNothingIsKept() {
        int exchanges = pool.exchanges.size();
        freshAt("#/today");
        pool.tamperState = true;
        try {
            pool.nextUser = "olga";
            browser.find("#cognito-signin").click();
            awaitSignInScreen();
            browser.awaitTrue("return !document.getElementById('login-error').hidden");
        } finally {
            pool.tamperState = false;
        }
        String said = browser.text("#login-error");
        assertTrue(said.contains("does not belong to the sign-in started in this tab (its state does not match)"), said);
        assertEquals(exchanges, pool.exchanges.size(), "the code was not traded");
        assertEquals(null, kept(TOKEN_KEY));
        assertFalse(browser.driver.getCurrentUrl().contains("code="), browser.driver.getCurrentUrl());
        assertEquals("#/today", browser.hash(), "the view to open stays for the next try");
        shots("signin-state-refused");

        // The user declines at the hosted login: its error, in words.
        pool.nextUser = "olga";
        pool.nextError = "access_denied";
        browser.find("#cognito-signin").click();
        awaitSignInScreen();
        browser.awaitTrue("return document.getElementById('login-error').innerText.includes('access_denied')");
        assertTrue(browser.text("#login-error").contains("The sign-in service did not sign you in: \"access_denied\""), browser.text("#login-error"));
        assertEquals(null, kept(TOKEN_KEY));
    }

    @Test
    @Order(4)
    void aViewerSeesNoResolveButton_andTheApiRefusesTheResolveFromThePage() throws Exception {
        freshAt("#/errors");
        signInAs("vera");
        assertEquals("Signed in as vera, viewer", browser.text("#who"));
        JsonNode groups = stack.get("/api/errors/groups", Map.of("limit", "100"));
        List<List<String>> rows = browser.rows("Error groups, most recently seen first");
        assertEquals(groups.get("items").size(), rows.size());
        assertEquals(List.of(), browser.all("#view button[id^='resolve-']"), "no Resolve button for a viewer");
        assertFalse(browser.text("#view thead").contains("Action"), browser.text("#view thead"));
        assertEquals("You are signed in as a viewer: resolving a group needs the operator role.", browser.text("#errors-viewer"));
        shots("errors-viewer");

        // The same request the operator's dialog sends, from the page with the viewer's token: the backend says no.
        String jam = seed.fingerprints.get("PRINTER_JAM");
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/errors/groups/' + encodeURIComponent(arguments[0]) + '/resolve', {method: 'PATCH',"
                        + " headers: {Authorization: 'Bearer ' + sessionStorage.getItem('kiosk-telemetry.token'), 'Content-Type': 'application/json'},"
                        + " body: JSON.stringify({resolvedBy: 'vera@example.com'})})"
                        + ".then(async r => done({status: r.status, body: await r.text()}), e => done({status: -1, body: String(e)}));", jam);
        assertEquals(403L, ((Number) answer.get("status")).longValue(), "a viewer's resolve: " + answer);
        String detail = StackProcess.JSON.readTree((String) answer.get("body")).get("detail").asText();
        assertTrue(detail.contains("operator"), "the refusal names the operator role: " + detail);
        onlyRefusals("403");
        for (JsonNode g : stack.get("/api/errors/groups", Map.of("limit", "100")).get("items")) {
            if (g.get("fingerprint").asText().equals(jam)) {
                assertEquals("open", g.get("status").asText(), "still open");
            }
        }

        // The whole fleet is theirs to read.
        browser.open("#/overview?" + range);
        assertShows(overview().at("/sessions/total"), overviewSessions(), "the fleet's sessions");
        assertEquals("fleet", new Select(browser.find("#filter-scope")).getFirstSelectedOption().getAttribute("value"));
    }

    @Test
    @Order(5)
    void aViewerLimitedToAStore_seesItByDefault_isRefusedOtherStoresWithTheApisWords_andIsToldWhatNeedsTheFleet() throws Exception {
        freshAt("#/overview?" + range);
        signInAs("sami");
        assertEquals("Signed in as sami, viewer, limited to store " + MY_STORE, browser.text("#who"));
        assertEquals("#/overview?" + range, browser.hash(), "the address names no scope");
        assertTrue(browser.text("#overview-range").startsWith("Store " + MY_STORE + ","), browser.text("#overview-range"));
        assertShows(overview("storeId", MY_STORE).at("/sessions/total"), overviewSessions(), MY_STORE + "'s sessions");
        @SuppressWarnings("unchecked")
        List<String> kinds = (List<String>) browser.js("return [...document.getElementById('filter-scope').options].map(o => o.value)");
        assertEquals(List.of("store"), kinds, "no fleet, group or country scope on offer");
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.js("return [...document.getElementById('filter-scope-id').options].map(o => o.value)");
        assertEquals(List.of(MY_STORE), ids);
        shots("overview-limited");

        // A link to another store: the API's refusal and its reason are shown, the filters stay.
        String other = "#/overview?" + range + "&storeId=store-busan";
        browser.open(other);
        String detail = detailFor(pool.user("sami").idToken(), "/api/insights/overview?" + range + "&storeId=store-busan", 403);
        String alert = browser.text("#view [role='alert']");
        assertTrue(alert.contains("403") && alert.contains(detail), "shown: " + alert + "; the API: " + detail);
        assertEquals("store-busan", new Select(browser.find("#filter-scope-id")).getFirstSelectedOption().getAttribute("value"));
        onlyRefusals("403");
        shots("overview-limited-other-store");

        // Views that need the whole fleet say so, and link to what the user can open: the API refuses them this user.
        String sami = pool.user("sami").idToken();
        for (String path : List.of("/api/errors/groups", "/api/insights/breakdown?" + range + "&by=store",
                "/api/insights/overview?" + range, "/api/insights/overview?" + range + "&countryCode=KR", "/api/devices")) {
            assertEquals(403, stack.send("GET", path, sami, null).statusCode(), "a store-limited viewer: " + path);
        }
        assertEquals(200, stack.send("GET", "/api/insights/breakdown?" + range + "&by=device&metric=sessions&storeId=" + MY_STORE, sami, null).statusCode());
        for (String view : List.of("stores", "errors")) {
            browser.open("#/" + view + "?" + range);
            String said = browser.text("#needs-fleet");
            assertTrue(said.contains("You are limited to store " + MY_STORE + ", so this view is not available to you."), said);
            assertEquals("#/overview?" + range + "&storeId=" + MY_STORE,
                    browser.find("#needs-fleet a").getAttribute("href").replaceFirst("^[^#]*", ""));
            shots(view + "-limited");
        }

        // The kiosks and today's figures of their store.
        browser.open("#/kiosks");
        assertEquals(List.of("kiosk-gangnam-1", "kiosk-gangnam-2"), browser.rows("Kiosks by id").stream().map(r -> r.get(0)).toList());
        browser.open("#/today");
        assertEquals(List.of(), browser.all("#view [role='alert']"), browser.text("#view"));
        JsonNode today = stack.get("/api/insights/today", Map.of("storeId", MY_STORE));
        assertShows(today.at("/sessions/total"), (String) browser.js("return document.querySelector(\"[data-kpi='sessions'] .value\").innerText"),
                "today's sessions of " + MY_STORE);
    }

    @Test
    @Order(6)
    void aTokenTheApiRefuses_orThatExpired_leadsBackToSignIn_withTheReason_andBackToTheSameView() throws Exception {
        freshAt("#/overview?" + range);
        signInAs("olga");
        // The API stops accepting the token (as API Gateway does after the ID token's hour).
        String unknown = pool.unknownToken();
        browser.js("sessionStorage.setItem(arguments[0], arguments[1])", TOKEN_KEY, unknown);
        String funnel = "#/funnel?" + range;
        browser.js("location.hash = arguments[0]", funnel);
        awaitSignInScreen();
        String detail = detailFor(unknown, "/api/insights/overview?" + range, 401);
        String said = browser.text("#login-error");
        assertTrue(said.startsWith("You were signed out.") && said.contains("401") && said.contains(detail), "shown: " + said + "; the API: " + detail);
        assertEquals(null, kept(TOKEN_KEY), "the refused token is forgotten");
        onlyRefusals("401");
        shots("signin-after-401");

        signInAs("olga");
        assertEquals(funnel, browser.hash(), "back to the view that needed the sign-in");
        assertEquals("Funnel", browser.text("#view h1"));

        // The ID token's lifetime is over by the browser's clock: the page does not wait for the API to say so.
        browser.js("sessionStorage.setItem('kiosk-telemetry.token-expires', String(Date.now() - 1000))");
        browser.js("location.hash = arguments[0]", "#/hours?" + range);
        awaitSignInScreen();
        assertTrue(browser.text("#login-error").contains("this tab's sign-in ended at"), browser.text("#login-error"));
    }

    @Test
    @Order(7)
    void signingOutEndsTheHostedLoginsSession_andComesBackToTheSignInScreen() {
        freshAt("#/overview?" + range);
        signInAs("olga");
        int before = pool.logouts.size();
        browser.find("#signout").click();
        awaitSignInScreen();
        assertEquals(before + 1, pool.logouts.size(), "the browser went to the pool's /logout");
        Map<String, String> logout = pool.logouts.get(before);
        assertEquals(Map.of("client_id", FakeHostedLogin.CLIENT_ID, "logout_uri", base() + "/"), logout);
        assertEquals("You are signed out.", browser.text("#login-note"));
        assertEquals(null, kept(TOKEN_KEY));
        assertTrue(browser.find("#nav").getAttribute("hidden") != null && browser.find("#who").getAttribute("hidden") != null);
        shots("signed-out");
    }

    @Test
    @Order(8)
    void aConfigThePageCannotUse_isExplainedInWords() {
        // config.json malformed in the ways a deploy step could get it wrong: each problem is named.
        @SuppressWarnings("unchecked")
        List<String> said = (List<String>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/js/config.js').then(m => done(arguments[0].map(c => { try { m.validate(JSON.parse(c)); return 'ok'; }"
                        + " catch (e) { return e.message; } })));",
                List.of("[]", "{\"signIn\":\"password\"}", "{\"signIn\":\"cognito\"}",
                        "{\"signIn\":\"cognito\",\"apiBase\":\"http://api.example.com\",\"cognito\":{\"domain\":\"https://x.auth.eu-west-1.amazoncognito.com\",\"clientId\":\"abc\",\"redirectUri\":\"" + base() + "/\"}}",
                        "{\"signIn\":\"cognito\",\"cognito\":{\"domain\":\"https://x.auth.eu-west-1.amazoncognito.com/login\",\"clientId\":\"\",\"redirectUri\":\"https://elsewhere.example.com/\"}}",
                        "{\"signIn\":\"cognito\",\"apiBase\":\"https://a1.execute-api.eu-west-1.amazonaws.com/\",\"cognito\":{\"domain\":\"https://x.auth.eu-west-1.amazoncognito.com\",\"clientId\":\"abc\",\"redirectUri\":\"" + base() + "/\"}}"));
        assertEquals("config.json must hold a JSON object, such as {\"signIn\": \"token\"}.", said.get(0));
        assertEquals("\"signIn\" must be \"token\" or \"cognito\" (it is \"password\").", said.get(1));
        assertTrue(said.get(2).startsWith("\"cognito\" must be an object"), said.get(2));
        assertTrue(said.get(3).startsWith("\"apiBase\" must be an https address"), said.get(3));
        assertTrue(said.get(4).contains("\"cognito.domain\" must be") && said.get(4).contains("\"cognito.clientId\" must be")
                && said.get(4).contains("but this page is on " + base()), said.get(4));
        assertEquals("ok", said.get(5));

        // config.json cannot be read at all: the page says so instead of a blank screen.
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/config.json")));
        try {
            browser.driver.get(base() + "/");
            browser.awaitTrue("return !document.getElementById('setup').hidden");
            String shown = browser.text("#setup");
            assertTrue(shown.contains("The dashboard cannot start") && shown.contains("config.json could not be read"), shown);
            assertTrue(browser.find("#login").getAttribute("hidden") != null);
            shots("config-unreadable");
        } finally {
            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
            browser.driver.executeCdpCommand("Network.disable", Map.of());
        }
        List<LogEntry> seen = problems();
        assertTrue(seen.stream().allMatch(e -> e.getMessage().contains("config.json")), "only the blocked config.json: " + seen);
        assertNotNull(seen);
    }
}
