package kiosk.telemetry.local.dashboard;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long the overview takes to show its figures in Chromium, against the local stack, on an empty cache; and
 * what it transferred. Not a test of a limit (a shared machine's timings vary): it prints figures, each run
 * against a baseline measured in the same browser right after it: the same API requests the overview made, sent
 * at once from the page with {@code fetch}. The ratio is what the page costs on top of its data.
 * <p>
 * {@code ./mvnw -B verify -Pbench-dashboard -pl infra/local -am} (Chromium and chromium-driver installed).
 */
class DashboardRenderBenchmark {

    private static final String ADMIN = "adm.dashboard-benchmark-token";
    private static final int RUNS = 9;

    /** Installed before the page's own scripts (DevTools): the moment the view of the URL has finished rendering. */
    private static final String RENDER_MARK = """
            new MutationObserver((_, observer) => {
              const v = document.getElementById('view');
              if (v && v.getAttribute('aria-busy') === 'false' && v.dataset.route === location.hash && location.hash) {
                window.__rendered = performance.now();
                observer.disconnect();
              }
            }).observe(document, {subtree: true, attributes: true, attributeFilter: ['aria-busy', 'data-route']});
            """;

    /** Times in ms from the navigation's start: DOM ready, last script fetched, first API request sent, last answered. */
    record Run(double renderMs, double apiBaselineMs, long transferred, long uncompressed, int requests, int apiRequests,
               double domReady, double scriptsDone, double firstApi, double lastApi) {
    }

    @Test
    void overviewFirstRender_onAnEmptyCache() throws Exception {
        try (StackProcess stack = StackProcess.start(ADMIN, Map.of("TELEMETRY_AGGREGATION_SETTLE", "PT0S"));
             Browser browser = Browser.start(stack.base())) {
            FleetSeed seed = FleetSeed.write(stack);
            String hash = "#/overview?from=" + seed.day(7) + "&to=" + seed.day(1);
            browser.driver.get(stack.base() + "/");
            browser.js("sessionStorage.setItem('kiosk-telemetry.token', arguments[0])", ADMIN);
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RENDER_MARK));

            List<Run> runs = new ArrayList<>();
            for (int i = 0; i <= RUNS; i++) {
                browser.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                browser.driver.get("about:blank");
                browser.driver.get(stack.base() + "/" + hash);
                browser.awaitView();
                browser.awaitTrue("return typeof window.__rendered === 'number'");
                assertTrue(browser.text("#view").contains("Sessions"), "the overview rendered its tiles: " + browser.text("#view"));
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) browser.js("""
                        const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
                        const api = all.filter(e => new URL(e.name).pathname.startsWith('/api/'));
                        const nav = performance.getEntriesByType('navigation')[0];
                        return {rendered: window.__rendered, domReady: nav.domContentLoadedEventEnd,
                          scripts: Math.max(...all.filter(e => e.name.endsWith('.js')).map(e => e.responseEnd)),
                          firstApi: Math.min(...api.map(e => e.startTime)), lastApi: Math.max(...api.map(e => e.responseEnd)),
                          transfer: all.reduce((n, e) => n + e.transferSize, 0),
                          body: all.reduce((n, e) => n + e.decodedBodySize, 0), requests: all.length,
                          api: api.map(e => e.name)};""");
                @SuppressWarnings("unchecked")
                List<String> api = (List<String>) m.get("api");
                // the baseline: the same API answers, asked for at once from this page, nothing cached
                double baseline = ((Number) browser.driver.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        const headers = {Authorization: 'Bearer ' + sessionStorage.getItem('kiosk-telemetry.token')};
                        const t0 = performance.now();
                        Promise.all(arguments[0].map(u => fetch(u, {headers, cache: 'no-store'}).then(r => r.text())))
                          .then(() => done(performance.now() - t0), e => done(-1));""", api)).doubleValue();
                assertTrue(baseline > 0, "the baseline's requests answered");
                Run run = new Run(((Number) m.get("rendered")).doubleValue(), baseline, ((Number) m.get("transfer")).longValue(),
                        ((Number) m.get("body")).longValue(), ((Number) m.get("requests")).intValue(), api.size(),
                        ((Number) m.get("domReady")).doubleValue(), ((Number) m.get("scripts")).doubleValue(),
                        ((Number) m.get("firstApi")).doubleValue(), ((Number) m.get("lastApi")).doubleValue());
                if (i > 0) { // the first load warms the stack's JIT and is left out
                    runs.add(run);
                }
            }
            report(runs);
        }
    }

    private static void report(List<Run> runs) {
        System.out.println();
        System.out.printf("Dashboard overview, first render on an empty cache (headless Chromium, local stack), %d runs%n", runs.size());
        System.out.println("run  render ms  API alone ms  ratio  transferred B  uncompressed B  requests (API)"
                + "  | DOM ready  scripts in  1st API sent  last API answered (ms from navigation start)");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            System.out.printf("%3d  %9.1f  %12.1f  %5.2f  %13d  %14d  %3d (%d)  | %9.1f  %10.1f  %12.1f  %17.1f%n", i + 1, r.renderMs(),
                    r.apiBaselineMs(), r.renderMs() / r.apiBaselineMs(), r.transferred(), r.uncompressed(), r.requests(), r.apiRequests(),
                    r.domReady(), r.scriptsDone(), r.firstApi(), r.lastApi());
        }
        double[] render = runs.stream().mapToDouble(Run::renderMs).sorted().toArray();
        double[] api = runs.stream().mapToDouble(Run::apiBaselineMs).sorted().toArray();
        double[] ratio = runs.stream().mapToDouble(r -> r.renderMs() / r.apiBaselineMs()).sorted().toArray();
        System.out.printf("median: render %.1f ms, API alone %.1f ms, ratio %.2f; transferred %d B (limit 307,200)%n",
                render[render.length / 2], api[api.length / 2], ratio[ratio.length / 2], runs.get(0).transferred());
        System.out.println();
    }
}
