package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the app sees of the SDK: calls that return at once and never throw, and the extras it offers. */
class NeverInTheWayTest {

    @TempDir
    Path journalDir;

    private StubBackend backend;
    private final List<KioskTelemetry> opened = new ArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final DeliveryListener listener = new DeliveryListener() {
        @Override
        public void onJournalFailure(Exception cause) {
            heard.add("journal: " + cause.getMessage());
        }

        @Override
        public void onIgnored(String call, String reason) {
            heard.add("ignored " + call + ": " + reason);
        }

        @Override
        public void onDropped(Delivery d, Drop why, String reason) {
            heard.add("dropped " + why + " " + d.kind());
        }
    };

    @BeforeEach
    void start() throws IOException {
        backend = new StubBackend();
    }

    @AfterEach
    void stop() {
        opened.forEach(KioskTelemetry::close);
        backend.close();
    }

    private KioskTelemetry.Builder builder() {
        return KioskTelemetry.builder().endpoint(backend.uri()).deviceToken("kt1-test").journalDirectory(journalDir)
                .listener(listener).closeTimeout(Duration.ofSeconds(2))
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    private KioskTelemetry open(KioskTelemetry.Builder b) {
        KioskTelemetry t = b.build();
        opened.add(t);
        return t;
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private String journal() {
        try {
            return Files.readString(journalDir.resolve(Journal.FILE_NAME));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trackedEvent_reachesTheJournalInTheBackground() throws Exception {
        KioskTelemetry t = open(builder());
        Session s = t.sessions().start(null, null);
        long seq = s.track(EventType.TAP, "attract", Map.of("x", 5));

        waitFor("the group commit", () -> journal().contains("\"key\":\"" + s.id() + "#" + seq + "\""));
        assertTrue(journal().lines().anyMatch(l -> l.startsWith("S ") && l.contains(s.id())), "and the open session's state");
        assertTrue(t.buffer().awaitDurable(Duration.ofSeconds(5)));
        assertTrue(t.health().journalCommits() >= 1, t.health().toString());
    }

    @Test
    void fullDisk_nothingIsThrown_theListenerHears_andRecordsStillGoOut() throws Exception {
        KioskTelemetry t = open(builder());
        t.buffer().simulateFullDisk(true);

        Session s = t.sessions().start(null, null);
        s.enter(FunnelStage.START);
        for (int i = 0; i < 5; i++) {
            s.track(EventType.TAP, "start", null);
        }
        t.errors().report(Severity.ERROR, ErrorCategory.SOFTWARE, "X", "x", null, s);

        waitFor("the listener to hear of the failure", () -> heard.stream().anyMatch(h -> h.startsWith("journal: No space")));
        assertTrue(t.health().journalWriteFailures() >= 1);
        assertFalse(t.buffer().awaitDurable(Duration.ofMillis(200)), "not durable while the disk is full");
        assertTrue(t.buffer().flush(), "sending does not need the journal");
        assertEquals(5, backend.stored("events").size());
        assertEquals(1, backend.stored("errors").size());

        t.buffer().simulateFullDisk(false);
        assertTrue(t.buffer().awaitDurable(Duration.ofSeconds(10)), "the write is retried once the disk has room");
    }

    @Test
    void callsAfterTheSessionEnded_orAfterClose_areIgnoredAndReported() {
        KioskTelemetry t = open(builder());
        Session s = t.sessions().start(null, null);
        s.end(SessionStatus.ABANDONED, "walked away");

        s.enter(FunnelStage.PRINT);
        s.end(SessionStatus.COMPLETED, null);
        assertEquals(-1, s.track("Not A Type", null, null));
        t.close();
        s.track(EventType.TAP, null, null);
        t.performance().record(MetricType.PRINT, s, 10, true, null, null);

        assertEquals(SessionStatus.ABANDONED, s.status());
        assertEquals(5, t.health().ignoredCalls(), heard.toString());
        assertTrue(heard.get(0).startsWith("ignored Session.enter: session " + s.id() + " already ended"), heard.toString());
    }

    @Test
    void secondInstanceOnTheSameDirectory_isRefused_untilTheFirstCloses() {
        KioskTelemetry first = open(builder());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder().build());
        assertTrue(e.getMessage().contains("in use by another SDK instance"), e.getMessage());

        first.close();
        open(builder());
    }

    @Test
    void tokenSupplier_isAskedForEachRequest_soARotatedTokenIsUsedWithoutARestart() throws Exception {
        AtomicReference<String> token = new AtomicReference<>("kt1-old");
        KioskTelemetry t = open(builder().deviceToken(token::get));
        Session s = t.sessions().start(null, null);
        backend.script("/api/sessions", 401, "{\"status\":401,\"detail\":\"revoked\"}");

        assertFalse(t.buffer().flush(), "401: kept");
        token.set("kt1-new");
        assertTrue(t.buffer().drain(Duration.ofSeconds(5)));

        assertEquals(List.of("kt1-old", "kt1-new"), backend.received("/api/sessions").stream().map(StubBackend.Received::token).toList());
        assertEquals(1, backend.stored("sessions").size(), s.id());
    }

    @Test
    void typedAndCustomEventTypes_goOnTheWire_andABadNameIsRefusedAtDefinition() throws Exception {
        EventType filterApplied = EventType.custom("filter_applied");
        assertThrows(IllegalArgumentException.class, () -> EventType.custom("Filter-Applied"));
        KioskTelemetry t = open(builder());
        Session s = t.sessions().start(null, null);
        s.track(EventType.LONG_PRESS, "edit", null);
        s.track(filterApplied, "edit", Map.of("filter", "sepia"));
        assertTrue(t.buffer().flush());

        JsonNode events = backend.received("/api/events/batch").get(0).body().path("events");
        assertEquals(List.of("long_press", "filter_applied"), events.findValuesAsText("eventType"));
    }

    @Test
    void errors_carryBreadcrumbsLeftByEnterAndTrack() throws Exception {
        KioskTelemetry t = open(builder());
        Session s = t.sessions().start(null, null);
        s.enter(FunnelStage.CAPTURE);
        s.track(EventType.TAP, "capture", null);
        t.errors().report(Severity.ERROR, ErrorCategory.HARDWARE, "CAMERA", "camera lost", null, s);
        assertTrue(t.buffer().flush());

        JsonNode crumbs = backend.received("/api/errors").get(0).body().path("breadcrumbs");
        assertEquals(List.of("enter capture", "tap capture"), crumbs.findValuesAsText("message"));
        assertEquals(List.of("navigation", "event"), crumbs.findValuesAsText("type"));
    }

    @Test
    void screenToStageMap_movesTheFunnel_andGivesProgress() throws Exception {
        KioskTelemetry t = open(builder().funnelMap(FunnelMap.of(Map.of(
                "home", FunnelStage.ATTRACT, "frames", FunnelStage.FRAME_SELECT, "camera", FunnelStage.CAPTURE))));
        Session s = t.sessions().start(null, null);
        assertEquals(0.0, s.progress());

        s.screen("frames");
        s.screen("camera");
        s.screen("settings"); // not mapped: the stage stays
        s.screen("frames");   // going back: a new visit, the furthest stage stays

        assertEquals(FunnelStage.FRAME_SELECT, s.stage());
        assertEquals(3.0 / 7, s.progress(), 1e-9, "capture is the furthest: 3 of 7 steps");
        assertEquals(SessionStatus.IN_PROGRESS, s.status());
        assertTrue(t.buffer().flush());
        JsonNode patch = backend.body("patch", s.id());
        assertEquals(List.of("attract", "frame_select", "capture", "frame_select"),
                patch.path("funnel").path("stages").findValuesAsText("stage"));
        assertEquals(4, backend.stored("events").size(), "each screen is also a screen_enter event");
    }

    @Test
    void guard_reportsTheExceptionAndRethrowsIt() throws Exception {
        KioskTelemetry t = open(builder());
        Session s = t.sessions().start(null, null);
        IllegalStateException jam = new IllegalStateException("printer jam at tray 2");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> t.errors().guard(ErrorCategory.HARDWARE, "PRINTER_JAM", s, () -> {
                    throw jam;
                }));
        assertSame(jam, thrown);
        assertEquals("ok", t.errors().guard(ErrorCategory.HARDWARE, "PRINTER_JAM", s, () -> "ok"));
        assertTrue(t.buffer().flush());

        List<StubBackend.Received> errors = backend.received("/api/errors");
        assertEquals(1, errors.size(), "only the failure is reported");
        JsonNode e = errors.get(0).body();
        assertEquals("PRINTER_JAM", e.path("code").asText());
        assertEquals(s.id(), e.path("sessionId").asText());
        assertTrue(e.path("stack").asText().contains("printer jam at tray 2"));
    }

    @Test
    void timings_carryMemoryAndCpu_byDefault_andTheAppsOwnContextWins() throws Exception {
        KioskTelemetry t = open(builder());
        t.performance().record(MetricType.APP_START, null, 1500, true, null, null);
        t.performance().record(MetricType.APP_START, null, 1500, true, null, Map.of("memoryMb", 1));
        assertTrue(t.buffer().flush());

        JsonNode metrics = backend.received("/api/performance/batch").get(0).body().path("metrics");
        assertTrue(metrics.get(0).path("context").path("memoryMb").asLong() > 0, metrics.toString());
        assertEquals(1, metrics.get(1).path("context").path("memoryMb").asLong());
    }

    @Test
    void close_drainsWithADeadline_andLeavesTheRestJournaled() throws Exception {
        KioskTelemetry t = open(builder().closeTimeout(Duration.ofMillis(300)));
        Session s = t.sessions().start(null, null);
        s.track(EventType.TAP, null, null);
        // the server holds its answer far longer than the close deadline
        backend.script("/api/sessions", r -> new StubBackend.Scripted(201, "{\"created\":true}", 3000));

        long start = System.nanoTime();
        t.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        opened.remove(t);

        assertTrue(tookMs < 2000, "close() waited " + tookMs + " ms for a 300 ms deadline");
        KioskTelemetry next = open(builder());
        assertTrue(next.buffer().stats().of(Delivery.Kind.EVENT).pending() == 1, "the unsent event is journaled");
        assertTrue(next.buffer().drain(Duration.ofSeconds(10)));
        assertEquals(1, backend.stored("events").size());
    }
}
