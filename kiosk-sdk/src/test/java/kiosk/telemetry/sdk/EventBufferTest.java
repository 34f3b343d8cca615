package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event buffer's protocol against an in-process HTTP stub: flushing, retries, journal replay and cap. */
class EventBufferTest {

    @TempDir
    Path journalDir;

    private StubBackend backend;
    private SwitchableNetwork network;
    private final List<KioskTelemetry> opened = new ArrayList<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        backend = new StubBackend();
        network = new SwitchableNetwork(new HttpTransport(backend.uri(), Duration.ofSeconds(2), Duration.ofMillis(800)));
    }

    @AfterEach
    void stop() {
        opened.forEach(KioskTelemetry::close);
        backend.close();
    }

    private KioskTelemetry open(EventBuffer.Settings settings) {
        KioskTelemetry t = KioskTelemetry.builder().deviceToken("kt1-test").journalDirectory(journalDir)
                .transport(network).settings(settings).random(new SplittableRandom(7))
                .listener(new DeliveryListener() {
                    @Override
                    public void onDropped(Delivery d, Drop why, String reason) {
                        dropped.add(why + " " + d.kind() + " " + d.key());
                    }
                }).build();
        opened.add(t);
        return t;
    }

    /** Timer far away: only the 50-event trigger or an explicit flush sends. */
    private static EventBuffer.Settings manual() {
        return EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int eventsIn(List<StubBackend.Received> requests) {
        return requests.stream().mapToInt(r -> r.body().path("events").size()).sum();
    }

    @Test
    void fiftiethEvent_sendsTheBatch_withoutWaitingForTheTimer() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start("3.2.0", null);
        for (int i = 0; i < 49; i++) {
            s.track("tap", "attract", Map.of("x", i));
        }
        Thread.sleep(300);
        assertEquals(0, backend.received("/api/events/batch").size(), "49 events wait for the timer");

        s.track("tap", "attract", Map.of("x", 49));

        waitFor("the batch of 50", () -> eventsIn(backend.received("/api/events/batch")) == 50);
        JsonNode first = backend.received("/api/events/batch").get(0).body().path("events").get(0);
        assertEquals(s.id(), first.path("sessionId").asText());
        assertEquals(0, first.path("sequenceNo").asLong());
        assertEquals("kt1-test", backend.received("/api/events/batch").get(0).token());
    }

    @Test
    void timer_sendsWhatIsQueued_every_interval() throws Exception {
        KioskTelemetry t = open(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofMillis(200)));
        Session s = t.sessions().start(null, null);
        s.track("tap", null, null);
        s.track("scroll", "edit", Map.of("scrollDepth", 40));

        waitFor("the timer's flush", () -> t.buffer().pending() == 0);
        assertEquals(Set.of(s.id() + "#0", s.id() + "#1"), backend.stored("events"));
        assertEquals(Set.of(s.id()), backend.stored("sessions"));
    }

    @Test
    void status503WithRetry_resendsExactlyThoseItems() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        for (int i = 0; i < 5; i++) {
            s.track("tap", null, null);
        }
        // GIVEN the server stores items 0, 2, 4 and reports 1 and 3 throttled
        backend.script("/api/events/batch", r -> {
            backend.storeBatch(new StubBackend.Received(r.method(), r.path(), r.token(),
                    filtered(r.body(), Set.of(0, 2, 4))), "events", "events");
            return new StubBackend.Scripted(503, "{\"accepted\":3,\"duplicates\":0,\"rejected\":[],\"retry\":[1,3]}", 0);
        });

        Instant beforeFlush = Instant.now();
        assertFalse(t.buffer().flush(), "a 503 is a failed flush");
        assertEquals(2, t.buffer().pending(), "only the two throttled events wait (the session went through)");
        assertTrue(t.buffer().nextAttemptAt().isAfter(beforeFlush), "the next attempt waits for the backoff");
        assertTrue(t.buffer().drain(Duration.ofSeconds(5)));

        List<StubBackend.Received> batches = backend.received("/api/events/batch");
        assertEquals(2, batches.size());
        List<Long> resent = new ArrayList<>();
        batches.get(1).body().path("events").forEach(e -> resent.add(e.path("sequenceNo").asLong()));
        assertEquals(List.of(1L, 3L), resent, "the retry carries items 1 and 3 only");
        assertEquals(5, backend.stored("events").size());
        DeliveryStats.Count c = t.buffer().stats().of(Delivery.Kind.EVENT);
        assertEquals(5, c.accepted());
        assertEquals(0, c.duplicates());
    }

    private static JsonNode filtered(JsonNode batch, Set<Integer> keep) {
        var copy = batch.deepCopy();
        var list = ((com.fasterxml.jackson.databind.node.ObjectNode) copy).putArray("events");
        for (int i = 0; i < batch.path("events").size(); i++) {
            if (keep.contains(i)) {
                list.add(batch.path("events").get(i));
            }
        }
        return copy;
    }

    @Test
    void rejectedItems_areReportedAndNeverResent() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        for (int i = 0; i < 3; i++) {
            s.track("tap", null, null);
        }
        backend.script("/api/events/batch", 200, "{\"accepted\":2,\"duplicates\":0,\"rejected\":"
                + "[{\"index\":1,\"errors\":[{\"field\":\"timestamp\",\"message\":\"too old\"}]}]}");

        assertTrue(t.buffer().flush());
        assertTrue(t.buffer().flush());

        assertEquals(1, backend.received("/api/events/batch").size(), "nothing is sent twice");
        assertEquals(List.of("REJECTED EVENT " + s.id() + "#1"), dropped);
        assertEquals(1, t.buffer().stats().of(Delivery.Kind.EVENT).rejected());
        assertEquals(0, t.buffer().pending());
    }

    @Test
    void timeout_isRetriedWithBackoff_andTheServerKeepsOneCopy() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        s.track("tap", null, null);
        s.track("tap", null, null);
        // GIVEN the server stores the batch but answers after the client gave up (800 ms)
        backend.script("/api/events/batch", r -> {
            backend.storeBatch(r, "events", "events");
            return new StubBackend.Scripted(200, "{\"accepted\":2,\"duplicates\":0,\"rejected\":[]}", 1500);
        });

        assertFalse(t.buffer().flush(), "no answer: the events stay");
        assertEquals(2, t.buffer().pending());
        assertTrue(t.buffer().drain(Duration.ofSeconds(5)));

        assertEquals(2, backend.received("/api/events/batch").size(), "sent again after the timeout");
        assertEquals(2, backend.stored("events").size());
        DeliveryStats.Count c = t.buffer().stats().of(Delivery.Kind.EVENT);
        assertEquals(2, c.duplicates(), "the retry found both stored");
        assertEquals(0, c.accepted(), "the first answer was lost, so the kiosk never saw them accepted");
    }

    @Test
    void serverErrorsAndRevokedToken_keepTheRecords_untilTheyGoThrough() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        s.track("tap", null, null);
        backend.script("/api/sessions", 401, "{\"status\":401,\"detail\":\"unknown token\"}");
        backend.script("/api/sessions", 500, "{\"status\":500}");
        backend.script("/api/sessions", 429, "");

        assertFalse(t.buffer().flush());
        assertFalse(t.buffer().flush());
        assertFalse(t.buffer().flush());
        assertEquals(2, t.buffer().pending(), "session and event both kept");
        assertTrue(t.buffer().drain(Duration.ofSeconds(5)));
        assertEquals(Set.of(s.id()), backend.stored("sessions"));
        assertTrue(dropped.isEmpty(), dropped.toString());
    }

    @Test
    void acknowledgedRecords_areNeverSentAgain_evenAfterARestart() throws Exception {
        KioskTelemetry first = open(manual());
        Session s = first.sessions().start(null, null);
        s.track("tap", null, null);
        assertTrue(first.buffer().flush());
        network.online(false);
        s.track("tap", null, null);
        assertFalse(first.buffer().flush());
        first.close();
        network.online(true);

        KioskTelemetry second = open(manual());
        assertEquals(1, second.buffer().stats().of(Delivery.Kind.EVENT).pending(), "only the unacknowledged event is replayed");
        assertTrue(second.buffer().drain(Duration.ofSeconds(5)));

        assertEquals(2, eventsIn(backend.received("/api/events/batch")), "each event crossed the wire once");
        assertEquals(1, backend.received("/api/sessions").stream().filter(r -> r.method().equals("POST")).count());
        assertEquals(1, second.buffer().stats().of(Delivery.Kind.EVENT).replayed());
    }

    @Test
    void crash_withATornLastLine_losesNothingThatWasQueued() throws Exception {
        // GIVEN a kiosk offline that queued a session, 120 events, a timing, an error and a sale, then died
        network.online(false);
        KioskTelemetry dying = open(manual());
        Session s = dying.sessions().start("3.2.0", null);
        for (int i = 0; i < 120; i++) {
            s.track("tap", "capture", Map.of("i", i));
        }
        dying.performance().record(MetricType.CAPTURE, s, 1834, true, Map.of("shutter", 120L), null);
        dying.errors().report(Severity.ERROR, ErrorCategory.HARDWARE, "PRINTER_JAM", "jam", null, s);
        dying.sales().record(s, "KRW", PaymentMethod.CARD, new BigDecimal("10000"), new BigDecimal("1000"),
                new BigDecimal("818"), null, null);
        s.enter(FunnelStage.CAPTURE);
        // the process dies without closing anything (after the group commit's bound); the power cut tore the line being written
        assertTrue(dying.buffer().awaitDurable(Duration.ofSeconds(5)));
        dying.crash();
        Files.writeString(journalDir.resolve(Journal.FILE_NAME), "A {\"id\":9999,\"kind\":\"EV", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        opened.remove(dying);
        network.online(true);

        // WHEN the app starts again on the same journal
        KioskTelemetry again = open(manual());

        // THEN everything queued before the cut is delivered once; the torn line is ignored
        assertEquals(0, again.buffer().unreadableJournalLines());
        assertEquals(125, again.buffer().pending());
        assertTrue(again.buffer().drain(Duration.ofSeconds(10)));
        assertEquals(120, backend.stored("events").size());
        assertEquals(1, backend.stored("metrics").size());
        assertEquals(1, backend.stored("errors").size());
        assertEquals(1, backend.stored("sales").size());
        assertEquals(1, backend.received("/api/sessions/").size(), "one PATCH");
        assertEquals(120, eventsIn(backend.received("/api/events/batch")), "no event sent twice");
        assertEquals(1, backend.received("/api/events/batch").size(), "a backlog goes out in batches of up to 500");
    }

    @Test
    void journalCap_dropsOldestEventsFirst_andKeepsSalesAndErrors() throws Exception {
        network.online(false);
        KioskTelemetry t = open(manual().withMaxJournalBytes(1 << 20));
        Session s = t.sessions().start(null, null);
        String sale = t.sales().record(s, "KRW", PaymentMethod.CASH, new BigDecimal("5000"), BigDecimal.ZERO,
                BigDecimal.ZERO, null, null);
        String error = t.errors().report(Severity.WARNING, ErrorCategory.NETWORK, "OFFLINE", "network down", null, s);
        String filler = "x".repeat(1000);
        int events = 3000;
        for (int i = 0; i < events; i++) {
            s.track("tap", null, Map.of("pad", filler));
        }

        DeliveryStats.Count ev = t.buffer().stats().of(Delivery.Kind.EVENT);
        assertTrue(ev.evicted() > 0, "over 1 MiB of events: some were evicted");
        assertEquals(events, ev.evicted() + ev.pending());
        assertTrue(dropped.get(0).equals("EVICTED EVENT " + s.id() + "#0"), "the oldest event goes first: " + dropped.get(0));
        assertEquals(1, t.buffer().stats().of(Delivery.Kind.SALE).pending());
        assertEquals(1, t.buffer().stats().of(Delivery.Kind.ERROR).pending());

        network.online(true);
        assertTrue(t.buffer().drain(Duration.ofSeconds(20)));
        assertEquals(Set.of(sale), backend.stored("sales"));
        assertEquals(Set.of(error), backend.stored("errors"));
        Set<String> expectedEvents = new HashSet<>();
        for (long i = ev.evicted(); i < events; i++) {
            expectedEvents.add(s.id() + "#" + i);
        }
        assertEquals(expectedEvents, backend.stored("events"), "the newest events survive");
        assertTrue(Files.size(journalDir.resolve(Journal.FILE_NAME)) < 8L << 20, "the journal file is compacted");
    }

    @Test
    void recordsOlderThan30Days_expireInsteadOfBeingSent() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
        network.online(false);
        KioskTelemetry t = KioskTelemetry.builder().deviceToken("kt1-test").journalDirectory(journalDir)
                .transport(network).settings(manual()).clock(clock).ticker(clock::nanos).build();
        opened.add(t);
        Session s = t.sessions().start(null, null);
        s.track("tap", null, null);
        clock.advance(Duration.ofDays(31));
        network.online(true);

        assertTrue(t.buffer().flush());

        assertEquals(0, t.buffer().pending());
        assertEquals(1, t.buffer().stats().of(Delivery.Kind.EVENT).expired());
        assertEquals(0, backend.received().size(), "nothing the server would refuse is sent");
    }

    @Test
    void sessionUpdates_queuedWhileOffline_collapseIntoTheNewest() throws Exception {
        network.online(false);
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        s.enter(FunnelStage.START);
        s.enter(FunnelStage.FRAME_SELECT);
        s.enter(FunnelStage.CAPTURE);
        s.end(SessionStatus.ABANDONED, "walked away");
        network.online(true);

        assertTrue(t.buffer().flush());

        List<StubBackend.Received> patches = backend.received("/api/sessions/");
        assertEquals(1, patches.size(), "one PATCH carries the final state");
        JsonNode patch = patches.get(0).body();
        assertEquals(4, patch.path("seq").asLong());
        assertEquals("abandoned", patch.path("status").asText());
        assertEquals("capture", patch.path("funnel").path("exitStage").asText());
        assertEquals(3, t.buffer().stats().of(Delivery.Kind.SESSION_UPDATE).replaced());
        assertEquals(1, t.buffer().stats().of(Delivery.Kind.SESSION_UPDATE).accepted());
        assertTrue(backend.received().get(0).path().equals("/api/sessions"), "the session is created before its PATCH");
    }

    @Test
    void tooLargeBatch_isSplit() throws Exception {
        KioskTelemetry t = open(manual());
        Session s = t.sessions().start(null, null);
        for (int i = 0; i < 4; i++) {
            s.track("tap", null, null);
        }
        backend.script("/api/events/batch", 413, "{\"status\":413}");

        assertTrue(t.buffer().flush());

        assertEquals(List.of(4, 2, 2), backend.received("/api/events/batch").stream().map(r -> r.body().path("events").size()).toList());
        assertEquals(4, backend.stored("events").size());
    }
}
