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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.logging.Level;

import static kiosk.telemetry.local.dashboard.Shown.assertShows;
import static kiosk.telemetry.local.dashboard.Shown.assertShowsPercent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator dashboard in a real browser (headless Chromium) against the packaged local stack, on a data set
 * written through the API ({@link FleetSeed}). Each view's figures are compared with the API's answer for the
 * same filters; the browser's console must stay free of errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final String ADMIN = "dashboard-it-admin";

    private StackProcess stack;
    private FleetSeed seed;
    private Browser browser;
    /** The range most tests read: the last four aggregated days, and the four before them to compare with. */
    private String from;
    private String to;

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        // The run reads its days at once: no ingest process here can hold a stale day mark.
        stack = StackProcess.start(ADMIN, Map.of("TELEMETRY_AGGREGATION_SETTLE", "PT0S"));
        long t1 = System.nanoTime();
        // The browser starts while the data set is written.
        CompletableFuture<Browser> starting = CompletableFuture.supplyAsync(() -> Browser.start(stack.base()));
        try {
            seed = FleetSeed.write(stack);
        } finally {
            browser = starting.join();
        }
        from = seed.day(4).toString();
        to = seed.day(1).toString();
        System.out.printf("DashboardIT: stack up in %d ms, data set written and aggregated (browser started alongside) in %d ms%n",
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
    }

    /** Every test leaves the console clean, but for the errors it provoked on purpose (it reads them itself). */
    @AfterEach
    void consoleHasNoErrors() {
        if (browser != null) {
            assertNoConsoleErrors();
        }
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertTrue(errors.isEmpty(), "browser console: " + errors);
    }

    private String range() {
        return "from=" + from + "&to=" + to;
    }

    private static Map<String, String> q(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void signIn_refusesAWrongTokenWithTheApisWords_thenOpensTheOverview_andTheFirstViewStaysUnder300KB() throws Exception {
        browser.driver.get(stack.base() + "/");
        browser.awaitTrue("return !document.getElementById('login').hidden && document.activeElement.id === 'token'");
        assertEquals("", browser.find("#token").getAttribute("value"));

        // A wrong token: the API's own reason is shown.
        browser.press("not-the-token", Keys.ENTER);
        browser.awaitTrue("return !document.getElementById('login-error').hidden");
        HttpResponse<String> refused = stack.send("GET", "/api/me", "not-the-token", null);
        String detail = StackProcess.JSON.readTree(refused.body()).get("detail").asText();
        assertTrue(browser.text("#login-error").contains(detail), browser.text("#login-error"));
        assertTrue(browser.text("#login-error").contains("401"), browser.text("#login-error"));
        List<LogEntry> console = browser.console();
        assertTrue(console.stream().allMatch(e -> e.getMessage().contains("401")), "only the refused sign-in: " + console);

        // The right one, typed (the field was focused and emptied again by the page).
        browser.find("#token").clear();
        browser.find("#token").sendKeys(ADMIN, Keys.ENTER);
        browser.awaitView();
        assertEquals("Overview", browser.text("#view h1"));
        assertEquals("view-title", browser.js("return document.activeElement.id"), "focus moves to the view's heading");
        assertEquals("Signed in as admin-token, operator", browser.text("#who"));
        assertEquals("", browser.js("return sessionStorage.length > 0 ? '' : 'no token kept'"));
        assertFalse(browser.driver.getPageSource().contains(ADMIN), "the token is not written into the page");

        // Everything this first view transferred, on an empty cache: the page, its files, its API answers.
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) browser.js(
                "const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];"
                        + "return {transfer: all.reduce((n, e) => n + e.transferSize, 0),"
                        + " body: all.reduce((n, e) => n + e.decodedBodySize, 0), files: all.length,"
                        + " external: all.filter(e => !e.name.startsWith(location.origin)).map(e => e.name)};");
        long transfer = ((Number) size.get("transfer")).longValue();
        System.out.printf("DashboardIT: first view (sign-in + overview) transferred %d bytes (%d bytes uncompressed) in %s requests%n",
                transfer, ((Number) size.get("body")).longValue(), size.get("files"));
        assertEquals(List.of(), size.get("external"), "nothing is loaded from another origin");
        assertTrue(transfer > 20_000, "the measurement saw the page's files: " + size);
        assertTrue(transfer <= 300 * 1024, "first view transfer " + transfer + " bytes");

        // The page's own security headers.
        HttpResponse<String> page = stack.send("GET", "/", null, null);
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
        assertEquals("en-US", browser.js("return navigator.language"), "the tests read numbers in en-US");
    }

    @Test
    @Order(2)
    void overview_tilesAndTheirChangesEqualTheApi_forTheFleetAndForAStore() throws Exception {
        for (String scope : List.of("", "&storeId=store-gangnam", "&countryCode=US")) {
            browser.open("#/overview?" + range() + scope);
            Map<String, String> scopeParam = new LinkedHashMap<>();
            if (!scope.isEmpty()) {
                String[] kv = scope.substring(1).split("=");
                scopeParam.put(kv[0], kv[1]);
            }
            assertTrue(assertTiles(from, to, scopeParam) > 0, "the data set has sessions in the previous range too: " + scope);
        }
    }

    /**
     * The overview's tiles show the API's figures for this range and scope, and the change against the range before
     * (or that there is nothing to compare with). Returns the previous range's sessions.
     */
    private long assertTiles(String from, String to, Map<String, String> scope) throws Exception {
        LocalDate f = LocalDate.parse(from);
        LocalDate t = LocalDate.parse(to);
        long days = t.toEpochDay() - f.toEpochDay() + 1;
        Map<String, String> now = new LinkedHashMap<>(q("from", from, "to", to));
        now.putAll(scope);
        Map<String, String> before = new LinkedHashMap<>(q("from", f.minusDays(days).toString(), "to", f.minusDays(1).toString()));
        before.putAll(scope);
        JsonNode o = stack.get("/api/insights/overview", now);
        JsonNode p = stack.get("/api/insights/overview", before);
        String where = " of " + now;
        readTiles();

        assertShows(o.at("/sessions/total"), tile("sessions"), "sessions" + where);
        long s0 = p.at("/sessions/total").asLong();
        String previous = "previous " + days + " days";
        if (s0 == 0) {
            assertEquals("no figure in the " + previous + " to compare", delta("sessions"));
            assertEquals("no sessions in the " + previous + " to compare", delta("conversion"));
            assertEquals("no sessions in the " + previous + " to compare", delta("errors-per-100"));
        } else {
            assertShows(BigDecimal.valueOf(o.at("/sessions/total").asLong() - s0).multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(s0), 10, java.math.RoundingMode.HALF_UP), delta("sessions"), "sessions change" + where);
            assertTrue(delta("sessions").endsWith("vs " + previous), delta("sessions"));
            assertShows(new BigDecimal(o.at("/sessions/conversionRate").asText()).subtract(new BigDecimal(p.at("/sessions/conversionRate").asText()))
                    .movePointRight(2), delta("conversion"), "conversion change in points" + where);
            assertTrue(delta("conversion").endsWith("pts vs " + previous), delta("conversion"));
            assertShows(new BigDecimal(o.at("/errors/per100Sessions").asText()).subtract(new BigDecimal(p.at("/errors/per100Sessions").asText())),
                    delta("errors-per-100"), "errors per 100 sessions change" + where);
        }
        assertShowsPercent(o.at("/sessions/conversionRate"), tile("conversion"), "conversion" + where);

        Set<String> currencies = new TreeSet<>();
        o.at("/sales/byCurrency").fieldNames().forEachRemaining(currencies::add);
        assertFalse(currencies.isEmpty(), "sales in " + now);
        List<String> netTiles = tiles.keySet().stream().filter(k -> k.startsWith("net-")).map(k -> k.substring(4)).sorted().toList();
        assertEquals(new ArrayList<>(currencies), netTiles, "one net revenue tile per currency sold" + where);
        for (String cur : currencies) {
            String shown = tile("net-" + cur);
            assertShows(o.at("/sales/byCurrency/" + cur + "/net"), shown, "net " + cur + where);
            assertTrue(shown.contains(cur.equals("KRW") ? "₩" : "$"), "an amount in its currency: " + shown);
        }
        assertShows(o.at("/errors/per100Sessions"), tile("errors-per-100"), "errors per 100 sessions" + where);
        assertShows(o.at("/devices/active"), tile("active-kiosks"), "active kiosks" + where);
        long a0 = p.at("/devices/active").asLong();
        if (a0 > 0) {
            assertShows(BigDecimal.valueOf(o.at("/devices/active").asLong() - a0).multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(a0), 10, java.math.RoundingMode.HALF_UP), delta("active-kiosks"), "active kiosks change" + where);
        }
        return s0;
    }

    /** The tiles on the page now, read in one go: key → [value, change]. */
    private Map<String, List<String>> tiles = Map.of();

    @SuppressWarnings("unchecked")
    private void readTiles() {
        tiles = (Map<String, List<String>>) browser.js("const out = {};"
                + "document.querySelectorAll('[data-kpi]').forEach(t => out[t.dataset.kpi] ="
                + " [t.querySelector('.value').innerText, t.querySelector('.delta')?.innerText ?? ''].map(x => x.trim()));"
                + "return out;");
    }

    private String tile(String key) {
        assertTrue(tiles.containsKey(key), "a tile " + key + " among " + tiles);
        return tiles.get(key).get(0);
    }

    private String delta(String key) {
        assertTrue(tiles.containsKey(key), "a tile " + key + " among " + tiles);
        return tiles.get(key).get(1);
    }

    @Test
    @Order(3)
    void overview_filtersChangeTheUrl_andAReloadRestoresThem() throws Exception {
        browser.open("#/overview");
        // Without dates the page shows a default range: the figures are those of the range its form shows.
        String shownFrom = browser.find("#filter-from").getAttribute("value");
        String shownTo = browser.find("#filter-to").getAttribute("value");
        assertTiles(shownFrom, shownTo, Map.of());

        // The user picks other dates and a group, by keyboard, and applies.
        String newFrom = seed.day(6).toString();
        String newTo = seed.day(4).toString();
        typeDate("#filter-from", newFrom);
        typeDate("#filter-to", newTo);
        new Select(browser.find("#filter-scope")).selectByValue("group");
        browser.find("#filter-scope-id").sendKeys("grp-seoul");
        browser.find("#filter-apply").sendKeys(Keys.ENTER);
        browser.awaitView();
        assertEquals("#/overview?from=" + newFrom + "&to=" + newTo + "&groupId=grp-seoul", browser.hash());
        assertEquals("filter-apply", browser.js("return document.activeElement.id"), "focus stays on the control used");
        assertTiles(newFrom, newTo, Map.of("groupId", "grp-seoul"));

        browser.reload();
        assertEquals(newFrom, browser.find("#filter-from").getAttribute("value"));
        assertEquals(newTo, browser.find("#filter-to").getAttribute("value"));
        assertEquals("group", new Select(browser.find("#filter-scope")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("grp-seoul", browser.find("#filter-scope-id").getAttribute("value"));
        assertTiles(newFrom, newTo, Map.of("groupId", "grp-seoul"));

        // The navigation carries the filters to the other views.
        assertEquals("#/funnel?from=" + newFrom + "&to=" + newTo + "&groupId=grp-seoul",
                browser.find("nav a[data-view='funnel']").getAttribute("href").replaceFirst("^[^#]*", ""));
    }

    /** Types a date into a date field as a keyboard user does (month, day, year in en-US). */
    private void typeDate(String css, String isoDate) {
        LocalDate d = LocalDate.parse(isoDate);
        WebElement input = browser.find(css);
        browser.js("arguments[0].focus()", input);
        browser.press(String.format("%02d%02d%04d", d.getMonthValue(), d.getDayOfMonth(), d.getYear()));
        assertEquals(isoDate, input.getAttribute("value"), "typed into " + css);
    }

    @Test
    @Order(4)
    void overview_timeseriesPickersChangeTheUrl_theChartsFiguresEqualTheApi_andAReloadKeepsThem() throws Exception {
        browser.open("#/overview?" + range() + "&storeId=store-gangnam");
        assertSeries("sessions", "day", "store-gangnam");

        new Select(browser.find("#ts-metric")).selectByValue("conversionRate");
        browser.awaitView();
        new Select(browser.find("#ts-interval")).selectByValue("week");
        browser.awaitView();
        assertEquals("#/overview?" + range() + "&storeId=store-gangnam&metric=conversionRate&interval=week", browser.hash());
        browser.reload();
        assertEquals("conversionRate", new Select(browser.find("#ts-metric")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("week", new Select(browser.find("#ts-interval")).getFirstSelectedOption().getAttribute("value"));
        assertSeries("conversionRate", "week", "store-gangnam");

        browser.open("#/overview?" + range() + "&metric=net.USD");
        assertSeries("net.USD", "day", null);
    }

    private void assertSeries(String metric, String interval, String storeId) throws Exception {
        JsonNode ts = stack.get("/api/insights/timeseries", q("from", from, "to", to, "metric", metric, "interval", interval, "storeId", storeId));
        assertTrue(browser.find(".chart canvas").getSize().getWidth() > 200, "the chart is drawn");
        browser.find("#view details summary").click();
        List<List<String>> rows = browser.rows(browser.find("#view details caption").getText());
        JsonNode points = ts.get("points");
        assertEquals(points.size(), rows.size(), "one row per point: " + rows);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode v = points.get(i).get("value");
            String shown = rows.get(i).get(1);
            if (metric.equals("conversionRate")) {
                assertShowsPercent(v, shown, metric + " at " + points.get(i).get("start"));
            } else {
                assertShows(v, shown, metric + " at " + points.get(i).get("start"));
            }
            assertEquals(LocalDate.parse(points.get(i).get("start").asText()).getDayOfMonth(),
                    Shown.number(rows.get(i).get(0).replaceFirst("^[A-Za-z]+ ", "")).intValue(), "the point's date: " + rows.get(i));
        }
    }

    @Test
    @Order(5)
    void today_tilesEqualTheLiveTotals_andTheSilentKioskIsListed() throws Exception {
        browser.open("#/today");
        JsonNode t = stack.get("/api/insights/today", Map.of());
        readTiles();
        assertShows(t.at("/sessions/total"), tile("sessions"), "today's sessions");
        assertTrue(t.at("/sessions/total").asLong() > 0, "the data set has sessions today");
        assertShowsPercent(t.at("/sessions/conversionRate"), tile("conversion"), "today's conversion");
        assertShows(t.at("/errors/total"), tile("errors"), "today's errors");
        assertShows(t.at("/devices/active"), tile("active-kiosks"), "today's active kiosks");
        t.at("/sales/byCurrency").fields().forEachRemaining(e ->
                assertShows(e.getValue().get("net"), tile("net-" + e.getKey()), "today's net " + e.getKey()));
        assertTrue(browser.text("#today-asof").startsWith("As of "), browser.text("#today-asof"));

        JsonNode silent = stack.get("/api/devices", q("silentFor", "PT30M", "limit", "500"));
        List<List<String>> rows = browser.rows("Kiosks silent for at least 30 minutes");
        List<String> ids = new ArrayList<>();
        silent.get("items").forEach(d -> ids.add(d.get("deviceId").asText()));
        assertEquals(List.of(FleetSeed.SILENT), ids, "the data set's one silent kiosk");
        assertEquals(ids, rows.stream().map(r -> r.get(0)).toList());
        assertEquals(List.of(FleetSeed.SILENT, "store-soho", "never seen", "since registration"), rows.get(0));

        // A store's today, deep-linked.
        browser.open("#/today?storeId=store-soho&silentFor=PT1H");
        JsonNode soho = stack.get("/api/insights/today", Map.of("storeId", "store-soho"));
        readTiles();
        assertShows(soho.at("/sessions/total"), tile("sessions"), "store-soho's sessions today");
        assertShows(soho.at("/sales/byCurrency/USD/net"), tile("net-USD"), "store-soho's net today");
        assertEquals(List.of(FleetSeed.SILENT), browser.rows("Kiosks silent for at least 1 hour").stream().map(r -> r.get(0)).toList());
        assertEquals("PT1H", new Select(browser.find("#silent-for")).getFirstSelectedOption().getAttribute("value"));
    }

    @Test
    @Order(6)
    void stores_tableEqualsTheBreakdown_sortsByEachColumn_andARowOpensThatStoresOverview() throws Exception {
        browser.open("#/stores?" + range());
        JsonNode b = stack.get("/api/insights/breakdown", q("from", from, "to", to, "by", "store", "metric", "sessions"));
        List<List<String>> rows = browser.rows("Sessions by store");
        assertBreakdown(b, rows, false);
        assertEquals("descending", browser.find("th[aria-sort]").getAttribute("aria-sort"));

        // Sort by store name, descending then ascending, with the header's button.
        browser.find("button.sort[data-sort='key']").click();
        browser.awaitView();
        assertTrue(browser.hash().contains("sort=key&order=desc"), browser.hash());
        List<String> keys = new ArrayList<>();
        b.get("items").forEach(i -> keys.add(i.get("key").asText()));
        assertEquals(keys.stream().sorted(Comparator.reverseOrder()).toList(), browser.rows("Sessions by store").stream().map(r -> r.get(0)).toList());
        browser.find("button.sort[data-sort='key']").sendKeys(Keys.ENTER);
        browser.awaitView();
        assertTrue(browser.hash().contains("sort=key&order=asc"), browser.hash());
        assertEquals(keys.stream().sorted().toList(), browser.rows("Sessions by store").stream().map(r -> r.get(0)).toList());
        assertEquals("ascending", browser.find("th[aria-sort]").getAttribute("aria-sort"));

        // Another breakdown by the form: conversion by group, ranked by the API.
        new Select(browser.find("#breakdown-by")).selectByValue("group");
        new Select(browser.find("#breakdown-metric")).selectByValue("conversionRate");
        browser.find("#filter-apply").click();
        browser.awaitView();
        assertTrue(browser.hash().contains("by=group") && browser.hash().contains("metric=conversionRate"), browser.hash());
        browser.find("button.sort[data-sort='value']").click();
        browser.awaitView();
        JsonNode g = stack.get("/api/insights/breakdown", q("from", from, "to", to, "by", "group", "metric", "conversionRate", "order", "desc"));
        assertBreakdown(g, browser.rows("Conversion by group"), true);

        // Net revenue in KRW by store, then a row opens the store's overview with the same range.
        browser.open("#/stores?" + range() + "&metric=net.KRW");
        JsonNode net = stack.get("/api/insights/breakdown", q("from", from, "to", to, "by", "store", "metric", "net.KRW"));
        assertBreakdown(net, browser.rows("Net revenue (KRW) by store"), false);
        browser.find("#view table a[href*='storeId=store-hongdae']").click();
        browser.awaitView();
        assertEquals("#/overview?" + range() + "&storeId=store-hongdae", browser.hash());
        assertTiles(from, to, Map.of("storeId", "store-hongdae"));
    }

    private void assertBreakdown(JsonNode api, List<List<String>> rows, boolean percent) {
        JsonNode items = api.get("items");
        assertEquals(items.size(), rows.size(), "one row per key: " + rows);
        assertTrue(items.size() >= 3, "the data set has several keys: " + items);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode item = items.get(i);
            assertEquals(item.get("key").asText(), rows.get(i).get(0), "row " + i);
            if (item.get("value").isNull()) {
                assertEquals("\u2014", rows.get(i).get(1));
            } else if (percent) {
                assertShowsPercent(item.get("value"), rows.get(i).get(1), item.get("key").asText());
            } else {
                assertShows(item.get("value"), rows.get(i).get(1), item.get("key").asText());
            }
            assertShows(item.get("sessions"), rows.get(i).get(2), item.get("key") + " sessions");
        }
    }

    @Test
    @Order(7)
    void funnel_reachedAndDropOffEqualTheApi() throws Exception {
        browser.open("#/funnel?" + range() + "&groupId=grp-seoul");
        JsonNode o = stack.get("/api/insights/overview", q("from", from, "to", to, "groupId", "grp-seoul"));
        List<List<String>> rows = browser.rows("Sessions per funnel stage");
        String[] stages = FleetSeed.STAGES;
        assertEquals(stages.length, rows.size());
        for (int i = 0; i < stages.length; i++) {
            JsonNode reached = o.at("/funnel/reached/" + stages[i]);
            assertShows(reached, rows.get(i).get(1), "reached " + stages[i]);
            assertShows(BigDecimal.valueOf(reached.asLong() * 100.0 / o.at("/sessions/total").asLong()), rows.get(i).get(2), "share " + stages[i]);
            if (i + 1 < stages.length) {
                assertShowsPercent(o.at("/funnel/dropOff/" + stages[i]), rows.get(i).get(3), "drop-off after " + stages[i]);
            } else {
                assertEquals("\u2014", rows.get(i).get(3));
            }
        }
        assertTrue(o.at("/funnel/reached/complete").asLong() < o.at("/funnel/reached/attract").asLong(), "the data set loses sessions on the way");
    }

    @Test
    @Order(8)
    void hours_heatmapAndHourProfileEqualTheApi() throws Exception {
        browser.open("#/hours?" + range());
        JsonNode hourly = stack.get("/api/insights/hourly", q("from", from, "to", to));
        @SuppressWarnings("unchecked")
        List<List<String>> heat = (List<List<String>>) browser.js(
                "return [...document.querySelectorAll('#heatmap tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()));");
        assertEquals(7, heat.size());
        assertEquals("Mon", heat.get(0).get(0));
        assertEquals("Sun", heat.get(6).get(0));
        long cells = 0;
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) {
                long n = hourly.at("/byWeekdayHour/" + d + "/" + h).asLong();
                assertEquals(n, Shown.number(heat.get(d).get(h + 1)).longValue(), "weekday " + d + " hour " + h);
                cells += n > 0 ? 1 : 0;
            }
        }
        assertTrue(cells > 10, "the data set spreads sessions over many hours");
        List<List<String>> profile = browser.rows("Hour of day");
        assertEquals(24, profile.size());
        for (int h = 0; h < 24; h++) {
            JsonNode x = hourly.at("/byHour/" + h);
            assertEquals(String.format("%02d", h), profile.get(h).get(0));
            assertShows(x.get("sessions"), profile.get(h).get(1), "sessions at " + h);
            assertShows(x.get("completed"), profile.get(h).get(2), "completed at " + h);
            assertShowsPercent(x.get("conversionRate"), profile.get(h).get(3), "conversion at " + h);
            assertShows(x.get("errors"), profile.get(h).get(profile.get(h).size() - 1), "errors at " + h);
        }
        assertTrue(browser.find(".chart canvas").getSize().getWidth() > 200, "the profile chart is drawn");
    }

    @Test
    @Order(9)
    void experiments_variantsAndPlainWordVerdictsEqualTheApi() throws Exception {
        String last8 = "from=" + seed.day(8) + "&to=" + to;
        browser.open("#/experiments?" + last8);
        JsonNode api = stack.get("/api/insights/experiments", q("from", seed.day(8).toString(), "to", to));
        assertEquals(2, api.get("experiments").size(), api.toString());
        int evidence = 0;
        int none = 0;
        for (JsonNode e : api.get("experiments")) {
            String name = e.get("name").asText();
            String control = e.get("control").asText();
            List<List<String>> rows = browser.rows("Variants of " + name + " (control: " + control + ")");
            List<WebElement> verdicts = browser.all("[data-experiment='" + name + "'] .verdict");
            assertEquals(e.get("variants").size(), rows.size());
            assertEquals(e.get("variants").size() - 1, verdicts.size());
            for (int i = 0; i < rows.size(); i++) {
                JsonNode v = e.get("variants").get(i);
                List<String> r = rows.get(i);
                String label = v.get("variant").asText();
                assertEquals(i == 0 && !label.equals("control") ? label + " (control)" : label, r.get(0));
                assertShows(v.get("sessions"), r.get(1), name + " " + v.get("variant") + " sessions");
                assertShowsPercent(v.get("conversionRate"), r.get(2), name + " conversion");
                String[] ci = r.get(3).split("\u2013");
                assertShowsPercent(v.at("/ci95/0"), ci[0], name + " interval low");
                assertShowsPercent(v.at("/ci95/1"), ci[1], name + " interval high");
                if (i == 0) {
                    continue;
                }
                assertShows(new BigDecimal(v.get("uplift").asText()).movePointRight(2), r.get(4), name + " uplift");
                double p = v.get("pValue").asDouble();
                String verdict = verdicts.get(i - 1).getText();
                if (p < 0.05) {
                    String word = v.get("uplift").asDouble() > 0 ? "better" : "worse";
                    assertTrue(verdict.startsWith(v.get("variant").asText() + " converts " + word + " than " + control + ", p "), verdict);
                    evidence++;
                } else {
                    assertEquals(v.get("variant").asText() + " against " + control + ": not enough evidence yet (p = " + r.get(5) + ")", verdict);
                    none++;
                }
                if (p >= 0.001) {
                    assertShows(v.get("pValue"), r.get(5), name + " " + v.get("variant") + " p-value");
                } else {
                    assertEquals("< 0.001", r.get(5));
                }
            }
        }
        assertEquals(1, evidence, "layout B converts clearly better in the data set");
        assertEquals(1, none, "the price tag makes no difference in the data set");
    }

    @Test
    @Order(10)
    void errors_groupsEqualTheApi_andAnOperatorResolvesOneByKeyboard() throws Exception {
        browser.open("#/errors");
        assertGroups(stack.get("/api/errors/groups", q("limit", "100")), browser.rows("Error groups, most recently seen first"));
        List<String> statuses = browser.rows("Error groups, most recently seen first").stream().map(r -> r.get(1)).sorted().toList();
        assertEquals(List.of("open", "regressed", "resolved"), statuses, "the data set has one group of each status");

        // Resolve the printer jams, keyboard only: the button, the dialog's fields, Enter.
        String jam = seed.fingerprints.get("PRINTER_JAM");
        browser.find("#resolve-" + jam).sendKeys(Keys.ENTER);
        browser.awaitTrue("const d = document.querySelector('dialog'); return !!d && d.open && document.activeElement.id === 'resolve-by';");
        browser.press("ops@example.com");
        browser.tab();
        browser.press("paper path cleaned", Keys.ENTER);
        browser.awaitTrue("return !document.querySelector('dialog')");
        browser.awaitView();
        JsonNode after = stack.get("/api/errors/groups", q("limit", "100"));
        JsonNode group = null;
        for (JsonNode g : after.get("items")) {
            if (g.get("fingerprint").asText().equals(jam)) {
                group = g;
            }
        }
        assertEquals("resolved", group.get("status").asText());
        assertEquals("ops@example.com", group.get("resolvedBy").asText());
        assertEquals("paper path cleaned", group.get("note").asText());
        browser.awaitTrue("return !!document.querySelector('#view table') && !document.getElementById('resolve-' + arguments[0])", jam);
        assertGroups(after, browser.rows("Error groups, most recently seen first"));

        // The filter: only what is still open or came back.
        new Select(browser.find("#errors-status")).selectByValue("false");
        browser.find("#filter-apply").click();
        browser.awaitView();
        assertEquals("#/errors?resolved=false", browser.hash());
        assertGroups(stack.get("/api/errors/groups", q("resolved", "false", "limit", "100")), browser.rows("Error groups, most recently seen first"));
    }

    private static void assertGroups(JsonNode api, List<List<String>> rows) {
        JsonNode items = api.get("items");
        assertEquals(items.size(), rows.size(), "one row per group: " + rows);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode g = items.get(i);
            List<String> r = rows.get(i);
            assertEquals(g.get("code").asText(), r.get(0));
            assertEquals(g.get("status").asText(), r.get(1));
            assertEquals(g.get("category").asText(), r.get(2));
            assertEquals(g.get("sampleMessage").asText(), r.get(3));
            assertShows(g.get("count"), r.get(4), g.get("code") + " count");
            assertShows(g.get("devices"), r.get(5), g.get("code") + " devices");
        }
    }

    @Test
    @Order(11)
    void kiosks_listEqualsTheRegistry_andAKioskOpensItsDailySummaries() throws Exception {
        browser.open("#/kiosks");
        JsonNode devices = stack.get("/api/devices", q("limit", "500"));
        List<List<String>> rows = browser.rows("Kiosks by id");
        assertEquals(devices.get("items").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode d = devices.get("items").get(i);
            assertEquals(List.of(d.get("deviceId").asText(), d.get("storeId").asText(), d.get("groupId").asText(), d.get("countryCode").asText()),
                    rows.get(i).subList(0, 4));
            assertEquals(d.get("lastSeenAt").isNull() ? "never seen" : "seen", rows.get(i).get(4).equals("never seen") ? "never seen" : "seen");
        }

        browser.open("#/kiosks?storeId=store-gangnam");
        assertEquals(List.of("kiosk-gangnam-1", "kiosk-gangnam-2"), browser.rows("Kiosks by id").stream().map(r -> r.get(0)).toList());

        browser.find("#view table a").click();
        browser.awaitView();
        assertEquals("#/kiosks?deviceId=kiosk-gangnam-1", browser.hash());
        browser.open("#/kiosks?deviceId=kiosk-gangnam-1&" + range());
        JsonNode summaries = stack.get("/api/daily-summary", q("deviceId", "kiosk-gangnam-1", "from", from, "to", to, "limit", "500"));
        List<List<String>> days = browser.rows("Daily summaries of kiosk-gangnam-1, newest first");
        assertEquals(summaries.get("items").size(), days.size());
        assertEquals(4, days.size(), "a summary for each of the four days");
        for (int i = 0; i < days.size(); i++) {
            JsonNode s = summaries.get("items").get(i);
            List<String> r = days.get(i);
            assertEquals(LocalDate.parse(s.get("date").asText()).getDayOfMonth(), Shown.number(r.get(0).replaceFirst("^[A-Za-z]+ ", "")).intValue());
            assertShows(s.at("/sessions/total"), r.get(1), s.get("date") + " sessions");
            assertShowsPercent(s.at("/sessions/conversionRate"), r.get(2), s.get("date") + " conversion");
            assertShows(s.at("/sales/count"), r.get(4), s.get("date") + " sales");
            JsonNode net = s.at("/sales/byCurrency/KRW/net");
            if (net.isMissingNode()) {
                assertEquals("\u2014", r.get(5));
            } else {
                assertShows(net, r.get(5), s.get("date") + " net");
            }
            assertShows(s.at("/errors/total"), r.get(6), s.get("date") + " errors");
        }
    }

    @Test
    @Order(12)
    void emptyRanges_sayWhatToDo_andApiErrorsAreShownNotSwallowed() throws Exception {
        String quiet = "from=" + seed.day(25) + "&to=" + seed.day(20);
        for (String view : List.of("overview", "stores", "funnel", "hours")) {
            browser.open("#/" + view + "?" + quiet);
            assertTrue(browser.text("#view .empty").startsWith("No sessions in this range."), view + ": " + browser.text("#view"));
        }
        browser.open("#/experiments?" + quiet);
        assertTrue(browser.text("#view .empty").startsWith("No experiments in this range."), browser.text("#view"));
        browser.open("#/kiosks?storeId=store-nowhere");
        assertTrue(browser.text("#view .empty").startsWith("No kiosks match."), browser.text("#view"));
        assertNoConsoleErrors();

        // A range that ends tomorrow: the API refuses it, and the page says what the API said.
        String tomorrow = seed.today.plusDays(1).toString();
        browser.open("#/overview?from=" + seed.day(3) + "&to=" + tomorrow);
        HttpResponse<String> refused = stack.send("GET", "/api/insights/overview?from=" + seed.day(3) + "&to=" + tomorrow, ADMIN, null);
        assertEquals(400, refused.statusCode());
        String detail = StackProcess.JSON.readTree(refused.body()).get("detail").asText();
        String alert = browser.text("#view [role='alert']");
        assertTrue(alert.contains("400") && alert.contains(detail), "shown: " + alert + "; the API: " + detail);
        assertEquals(tomorrow, browser.find("#filter-to").getAttribute("value"), "the form stays, to correct the range");
        List<LogEntry> console = browser.console();
        assertFalse(console.isEmpty(), "the refused request shows in the console as well");
        assertTrue(console.stream().allMatch(e -> e.getMessage().contains("400")), "only the refused request: " + console);
    }

    /** Every view of the data set, as deep links. */
    private List<String> views() {
        return List.of("#/overview?" + range(), "#/today", "#/stores?" + range(), "#/funnel?" + range(),
                "#/hours?" + range(), "#/experiments?" + range(), "#/errors", "#/kiosks", "#/kiosks?deviceId=kiosk-busan-1&" + range());
    }

    @Test
    @Order(13)
    void keyboardOnly_reachesEveryControlOfEveryView_withAVisibleFocus_andOpensViews() {
        for (String view : views()) {
            browser.open(view);
            // Number every control a keyboard user should reach, in the page's order; note each focus as it moves.
            @SuppressWarnings("unchecked")
            Map<String, Object> page = (Map<String, Object>) browser.js(
                    "const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])';"
                            + "const all = [...document.querySelectorAll(sel)].filter(e => !e.disabled && e.checkVisibility());"
                            + "all.forEach((e, i) => e.dataset.kbd = i);"
                            + "window.kbdSeen = []; window.kbdNoRing = []; window.kbdRecording = false;"
                            + "if (!window.kbdListening) { window.kbdListening = true;"
                            + " document.addEventListener('focusin', () => { if (!kbdRecording) return;"
                            + "  const e = document.activeElement; const s = getComputedStyle(e);"
                            + "  if (e.dataset.kbd !== undefined) kbdSeen.push(e.dataset.kbd);"
                            + "  if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) kbdNoRing.push(e.tagName + (e.id ? '#' + e.id : '')); }); }"
                            + "document.getElementById('skip').focus(); window.kbdRecording = true;"
                            + "return {controls: all.length, dates: all.filter(e => e.type === 'date').length};");
            long controls = ((Number) page.get("controls")).longValue();
            long dates = ((Number) page.get("dates")).longValue();
            assertTrue(controls > 10, view + " has controls");
            // A date field takes three stops (month, day, year); two presses to spare.
            CharSequence[] tabs = new CharSequence[(int) (controls - 1 + 2 * dates + 2)];
            java.util.Arrays.fill(tabs, Keys.TAB);
            browser.press(tabs);
            @SuppressWarnings("unchecked")
            List<String> missed = (List<String>) browser.js(
                    "return [...document.querySelectorAll('[data-kbd]')].filter(e => e.dataset.kbd !== '0' && !kbdSeen.includes(e.dataset.kbd))"
                            + ".map(e => e.outerHTML.slice(0, 100));");
            assertEquals(List.of(), missed, view + ": Tab reaches every control, in " + tabs.length + " presses");
            @SuppressWarnings("unchecked")
            List<String> noFocusRing = (List<String>) browser.js("return kbdNoRing;");
            assertEquals(List.of(), noFocusRing, view + ": every focused control shows a focus ring");
        }

        // Views open from the keyboard: focus the navigation's link, Enter, and the focus lands on the new view's heading.
        browser.open("#/overview?" + range());
        browser.js("document.querySelector(\"nav a[data-view='hours']\").focus()");
        browser.press(Keys.ENTER);
        browser.awaitView();
        assertTrue(browser.hash().startsWith("#/hours?" + range()), browser.hash());
        assertEquals("view-title", browser.js("return document.activeElement.id"));
        // After a page load the skip link is the first stop, and moves past the navigation.
        browser.reload();
        assertEquals("BODY", browser.js("return document.activeElement.tagName"), "a page load leaves the focus where it starts");
        browser.tab();
        assertEquals("skip", browser.js("return document.activeElement.id"));
        browser.press(Keys.ENTER);
        assertEquals("view-title", browser.js("return document.activeElement.id"));
    }

    @Test
    @Order(14)
    void everyView_fitsADesktopAndAPhone_labelsEveryControl_andLogsNoError() throws Exception {
        try {
            for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
                browser.viewport(size[0], size[1]);
                for (String view : views()) {
                    browser.open(view);
                    String where = view + " at " + size[0] + "×" + size[1];
                    long overflow = ((Number) browser.js("return document.documentElement.scrollWidth - window.innerWidth")).longValue();
                    assertTrue(overflow <= 0, where + ": the page scrolls sideways by " + overflow + " px");
                    @SuppressWarnings("unchecked")
                    List<String> unlabelled = (List<String>) browser.js(
                            "const name = e => (e.labels && e.labels.length ? [...e.labels].map(l => l.textContent).join(' ') : '')"
                                    + " || e.getAttribute('aria-label') || (e.getAttribute('aria-labelledby') ? 'x' : '')"
                                    + " || (/^(BUTTON|A|SUMMARY)$/.test(e.tagName) ? e.textContent : '');"
                                    + "return [...document.querySelectorAll('#view input, #view select, #view button, #view a, #view summary, #view [tabindex=\"0\"],"
                                    + " header a, header button')]"
                                    + ".filter(e => e.getClientRects().length > 0 && !name(e).trim()).map(e => e.outerHTML.slice(0, 80));");
                    assertEquals(List.of(), unlabelled, where + ": controls without a name for screen readers");
                    List<String> tables = visibleTablesWithoutCaption();
                    assertEquals(List.of(), tables, where + ": tables without a caption");
                    List<LogEntry> errors = browser.console().stream().filter(isProblem()).toList();
                    assertEquals(List.of(), errors, where + ": browser console");
                    String name = view.substring(2, view.indexOf('?') < 0 ? view.length() : view.indexOf('?'));
                    Path shot = browser.screenshot("view-" + name + (view.contains("deviceId=") ? "-device" : ""));
                    assertTrue(Files.size(shot) > 5_000, where + ": a screenshot with something on it, " + shot);
                }
            }
        } finally {
            browser.viewport(1280, 800);
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> visibleTablesWithoutCaption() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#view table')].filter(t => !t.caption || !t.caption.textContent.trim())"
                + ".map(t => t.outerHTML.slice(0, 60));");
    }

    private static Predicate<LogEntry> isProblem() {
        return e -> e.getLevel().intValue() >= Level.WARNING.intValue();
    }
}
