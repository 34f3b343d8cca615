package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions, funnel, timings, errors and sales: what the trackers put on the wire. */
class SessionTest {

    @TempDir
    Path journalDir;

    private StubBackend backend;
    private KioskTelemetry telemetry;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T01:00:00Z"));
    private final List<String> ignored = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DeliveryListener ignoredCalls = new DeliveryListener() {
        @Override
        public void onIgnored(String call, String reason) {
            ignored.add(call + ": " + reason);
        }
    };

    @BeforeEach
    void start() throws IOException {
        backend = new StubBackend();
        // the kiosk clock is pinned in the past here, so the server's Date header is hidden: no clock correction
        // applies (ClockSkewTest covers it)
        Transport http = new HttpTransport(backend.uri(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        Transport undated = (method, path, token, body) -> {
            Transport.Reply r = http.send(method, path, token, body);
            return new Transport.Reply(r.status(), r.body(), r.retryAfter());
        };
        telemetry = KioskTelemetry.builder().transport(undated).deviceToken("kt1-test").journalDirectory(journalDir)
                .clock(clock).ticker(clock::nanos).listener(ignoredCalls).settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1)))
                .idleTimeout(Duration.ofMinutes(3)).build();
    }

    @AfterEach
    void stop() {
        telemetry.close();
        backend.close();
    }

    private JsonNode lastPatch() {
        List<StubBackend.Received> patches = backend.received("/api/sessions/");
        return patches.get(patches.size() - 1).body();
    }

    @Test
    void completedSession_walksTheFunnel_withBehaviourAndSeq() {
        Session s = telemetry.sessions().start("3.2.0", Map.of("frameLayout", "B"));
        clock.advance(Duration.ofSeconds(5));
        s.enter(FunnelStage.START);
        s.track("screen_enter", "frame_select", null);
        clock.advance(Duration.ofSeconds(12));
        s.track("tap", "frame_select", Map.of("x", 512, "y", 300));
        s.track("select", "frame_select", Map.of("target", "frame-3"));
        s.track("screen_exit", "frame_select", null);
        s.enter(FunnelStage.FRAME_SELECT);
        s.track("scroll", "frame_select", Map.of("scrollDepth", 40));
        clock.advance(Duration.ofSeconds(30));
        s.end(SessionStatus.COMPLETED, null);
        assertTrue(telemetry.buffer().flush());

        JsonNode created = backend.received("/api/sessions").get(0).body();
        assertEquals(s.id(), created.path("sessionId").asText());
        assertEquals("2026-11-23T01:00:00Z", created.path("startedAt").asText());
        assertEquals("B", created.path("experiments").path("frameLayout").asText());

        JsonNode patch = lastPatch();
        assertEquals(3, patch.path("seq").asLong(), "start, frame_select, end");
        assertEquals("completed", patch.path("status").asText());
        assertEquals("2026-11-23T01:00:47Z", patch.path("endedAt").asText());
        assertTrue(patch.path("funnel").path("exitStage").isNull(), "a completed session has no exit stage");
        List<String> stages = patch.path("funnel").path("stages").findValuesAsText("stage");
        assertEquals(List.of("attract", "start", "frame_select", "complete"), stages);
        assertEquals("2026-11-23T01:00:05Z", patch.path("funnel").path("stages").get(0).path("exitedAt").asText());
        JsonNode behavior = patch.path("behavior");
        assertEquals(1, behavior.path("totalTaps").asLong());
        assertEquals(1, behavior.path("totalScrolls").asLong());
        assertEquals(1, behavior.path("selectionChanges").asLong());
        assertEquals(12_000, behavior.path("screenDurationsMs").path("frame_select").asLong());
        assertEquals(5, backend.stored("events").size(), "sequenceNo 0..4");
    }

    @Test
    void idleSession_endsAsTimeout_atTheStageItStoppedIn() {
        Session s = telemetry.sessions().start(null, null);
        s.enter(FunnelStage.START);
        s.enter(FunnelStage.PAYMENT);
        clock.advance(Duration.ofMinutes(2));
        assertEquals(0, telemetry.sessions().endIdle());
        clock.advance(Duration.ofMinutes(1));

        assertEquals(1, telemetry.sessions().endIdle());
        assertTrue(telemetry.buffer().flush());

        JsonNode patch = lastPatch();
        assertEquals("timeout", patch.path("status").asText());
        assertEquals("payment", patch.path("funnel").path("exitStage").asText());
        assertEquals(SessionStatus.TIMEOUT, s.status());
        assertTrue(telemetry.sessions().open().isEmpty());
        s.enter(FunnelStage.PRINT);
        assertEquals(SessionStatus.TIMEOUT, s.status(), "a terminal status is final");
        assertEquals(1, ignored.size(), "the late enter is reported, not thrown: " + ignored);
        assertTrue(ignored.get(0).startsWith("Session.enter"), ignored.get(0));
        assertEquals(1, telemetry.health().ignoredCalls());
    }

    @Test
    void timer_splitsTheOperationIntoItsBreakdown() {
        Session s = telemetry.sessions().start(null, null);
        var timer = telemetry.performance().start(MetricType.CAPTURE, s);
        clock.advance(Duration.ofMillis(120));
        timer.mark("shutter");
        clock.advance(Duration.ofMillis(1714));
        timer.mark("save");
        String metricId = timer.stop(true, Map.of("memoryMb", 812));
        telemetry.performance().record(MetricType.APP_START, null, 2400, true, null, null);
        assertTrue(telemetry.buffer().flush());

        JsonNode metrics = backend.received("/api/performance/batch").get(0).body().path("metrics");
        assertEquals(2, metrics.size());
        JsonNode capture = metrics.get(0);
        assertEquals(metricId, capture.path("metricId").asText());
        assertEquals("capture", capture.path("metricType").asText());
        assertEquals(1834, capture.path("durationMs").asLong());
        assertEquals(120, capture.path("breakdown").path("shutter").asLong());
        assertEquals(1714, capture.path("breakdown").path("save").asLong());
        assertEquals(812, capture.path("context").path("memoryMb").asInt());
        assertFalse(metrics.get(1).has("sessionId"), "app_start has no session");
    }

    @Test
    void error_carriesTheLast50Breadcrumbs_deviceState_andACutStack() {
        for (int i = 0; i < 60; i++) {
            telemetry.errors().breadcrumb("navigation", "step " + i, Map.of("i", i));
        }
        telemetry.errors().deviceState(() -> Map.of("printerPaper", 12, "networkOnline", true));
        Exception deep = new IllegalStateException("x".repeat(40_000));
        String errorId = telemetry.errors().report(Severity.ERROR, ErrorCategory.HARDWARE, "PRINTER_JAM",
                "Printer jam at tray 2", deep, null);
        assertTrue(telemetry.buffer().flush());

        JsonNode error = backend.received("/api/errors").get(0).body();
        assertEquals(errorId, error.path("errorId").asText());
        assertEquals(50, error.path("breadcrumbs").size());
        assertEquals("step 10", error.path("breadcrumbs").get(0).path("message").asText(), "the oldest 10 fell off");
        assertEquals(12, error.path("deviceState").path("printerPaper").asInt());
        assertEquals(ErrorTracker.MAX_STACK, error.path("stack").asText().length());
        assertEquals("hardware", error.path("category").asText());
    }

    @Test
    void breadcrumbsLeftByFourThreadsAtOnce_areTheLast50_inTheOrderEachThreadLeftThem() throws Exception {
        int perThread = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String name = "t" + t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    telemetry.errors().breadcrumb("navigation", name + " " + i, null);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        telemetry.errors().report(Severity.ERROR, ErrorCategory.SOFTWARE, "AFTER_RACE", "after four threads", null, null);
        assertTrue(telemetry.buffer().flush());
        JsonNode crumbs = backend.received("/api/errors").get(0).body().path("breadcrumbs");
        assertEquals(50, crumbs.size(), "all threads done: the ring is full and whole");
        Map<String, Integer> lastOf = new HashMap<>();
        for (JsonNode c : crumbs) {
            String[] m = c.path("message").asText().split(" ");
            int i = Integer.parseInt(m[1]);
            Integer before = lastOf.put(m[0], i);
            assertTrue(before == null || before < i, "each thread's breadcrumbs in the order it left them: " + crumbs);
            assertTrue(i >= perThread - 50, "only recent ones: " + c);
        }
    }

    @Test
    void crashHandler_journalsAFatalError_beforeThePreviousHandlerRuns() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        try {
            telemetry.errors().installCrashHandler();
            Thread t = new Thread(() -> {
                throw new IllegalStateException("boom");
            }, "render-thread");
            t.start();
            t.join();
            assertTrue(telemetry.buffer().drain(Duration.ofSeconds(5)));
            JsonNode error = backend.received("/api/errors").get(0).body();
            assertEquals("fatal", error.path("severity").asText());
            assertEquals("IllegalStateException", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("render-thread"));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void sale_computesNet_andSendsExactDecimals() {
        Session s = telemetry.sessions().start(null, null);
        String saleId = telemetry.sales().record(s, "KRW", PaymentMethod.CARD, new BigDecimal("10000"),
                new BigDecimal("1000"), new BigDecimal("818"), new BigDecimal("5000"),
                new SalesRecorder.Settlement("pending", LocalDate.parse("2026-11-25")));
        telemetry.sales().record(s, "USD", PaymentMethod.QR, new BigDecimal("0.30"), new BigDecimal("0.10"),
                new BigDecimal("0.10"), null, null);
        assertTrue(telemetry.buffer().flush());

        List<StubBackend.Received> sales = backend.received("/api/sales");
        JsonNode krw = sales.get(0).body();
        assertEquals(saleId, krw.path("saleId").asText());
        assertEquals(new BigDecimal("8182"), krw.path("amounts").path("net").decimalValue());
        assertEquals("2026-11-25", krw.path("settlement").path("scheduledDate").asText());
        assertEquals(0, new BigDecimal("0.10").compareTo(sales.get(1).body().path("amounts").path("net").decimalValue()),
                "0.30 − 0.10 − 0.10 is exactly 0.10");

        // invalid sales are refused at the call, without throwing: nothing is queued, the listener hears why
        assertNull(telemetry.sales().record(s, "KRW", PaymentMethod.CASH,
                new BigDecimal("100"), new BigDecimal("200"), BigDecimal.ZERO, null, null));
        assertNull(telemetry.sales().record(s, "KRW", PaymentMethod.CASH,
                new BigDecimal("1.005"), BigDecimal.ZERO, BigDecimal.ZERO, null, null));
        assertNull(telemetry.sales().sale(s).currency("krw").method(PaymentMethod.CASH).gross("1").record());
        assertEquals(3, ignored.size(), ignored.toString());
        assertTrue(ignored.get(0).contains("discount 200 exceeds gross 100"), ignored.get(0));
        assertEquals(0, telemetry.buffer().stats().of(Delivery.Kind.SALE).pending());
        assertEquals(2, telemetry.buffer().stats().of(Delivery.Kind.SALE).queued());
    }
}
