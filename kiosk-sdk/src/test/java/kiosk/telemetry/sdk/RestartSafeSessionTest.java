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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions open when the app dies or closes are ended, never left open on the server and never resumed. */
class RestartSafeSessionTest {

    @TempDir
    Path journalDir;

    private StubBackend backend;
    private Transport undated;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T01:00:00Z"));
    private final List<KioskTelemetry> opened = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        backend = new StubBackend();
        // the kiosk clock is pinned; the server's Date header is hidden so that no clock correction applies
        Transport http = new HttpTransport(backend.uri(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        undated = (method, path, token, body) -> {
            Transport.Reply r = http.send(method, path, token, body);
            return new Transport.Reply(r.status(), r.body(), r.retryAfter());
        };
    }

    @AfterEach
    void stop() {
        opened.forEach(KioskTelemetry::close);
        backend.close();
    }

    private KioskTelemetry kiosk() {
        KioskTelemetry t = KioskTelemetry.builder().transport(undated).deviceToken("kt1-test").journalDirectory(journalDir)
                .clock(clock).ticker(clock::nanos).idleTimeout(Duration.ofMinutes(3))
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))).build();
        opened.add(t);
        return t;
    }

    /** GIVEN a customer in capture, 20 s after the last tap, when the app dies. */
    private Session crashMidSession(KioskTelemetry app) throws Exception {
        Session s = app.sessions().start("3.2.0", null);
        clock.advance(Duration.ofSeconds(5));
        s.enter(FunnelStage.START);
        clock.advance(Duration.ofSeconds(10));
        s.enter(FunnelStage.CAPTURE);
        s.track(EventType.TAP, "capture", Map.of("x", 1));
        s.track(EventType.TAP, "capture", Map.of("x", 2));
        assertTrue(app.buffer().flush());
        clock.advance(Duration.ofSeconds(20));
        assertTrue(app.buffer().awaitDurable(Duration.ofSeconds(5)));
        app.crash();
        opened.remove(app);
        return s;
    }

    @Test
    void crash_leavesTheOpenSessionInTheJournal_andTheNextStartEndsItAsAbandonedAtItsLastActivity() throws Exception {
        Session s = crashMidSession(kiosk());
        Instant lastActivity = Instant.parse("2026-11-23T01:00:15Z");
        String journal = Files.readString(journalDir.resolve(Journal.FILE_NAME));
        assertTrue(journal.lines().anyMatch(l -> l.startsWith("S ") && l.contains(s.id()) && l.contains("\"seq\":2")
                && l.contains("\"lastActivity\":\"2026-11-23T01:00:15Z\"")), "the journal holds the open session:\n" + journal);

        // WHEN the app starts again 30 s later (less than the idle timeout)
        clock.advance(Duration.ofSeconds(10));
        KioskTelemetry again = kiosk();
        assertTrue(again.sessions().open().isEmpty(), "nothing is resumed");
        assertEquals(1, again.health().sessionsRecovered());
        assertTrue(again.buffer().flush());

        // THEN the server's session is ended as abandoned at the last tap, in the stage it was in
        JsonNode patch = backend.body("patch", s.id());
        assertEquals(3, patch.path("seq").asLong(), "the next seq after start and capture");
        assertEquals("abandoned", patch.path("status").asText());
        assertEquals(lastActivity.toString(), patch.path("endedAt").asText());
        assertEquals("capture", patch.path("funnel").path("exitStage").asText());
        assertEquals(List.of("attract", "start", "capture"), patch.path("funnel").path("stages").findValuesAsText("stage"));
        assertEquals(lastActivity.toString(), patch.path("funnel").path("stages").get(2).path("exitedAt").asText());
        assertEquals(2, patch.path("behavior").path("totalTaps").asLong());

        // AND a third start finds nothing left to end
        again.close();
        opened.remove(again);
        KioskTelemetry third = kiosk();
        assertEquals(0, third.health().sessionsRecovered());
    }

    @Test
    void restartAfterTheIdleTimeout_endsTheLeftoverAsTimeout() throws Exception {
        Session s = crashMidSession(kiosk());
        clock.advance(Duration.ofMinutes(10));

        KioskTelemetry again = kiosk();
        assertTrue(again.buffer().flush());

        JsonNode patch = backend.body("patch", s.id());
        assertEquals("timeout", patch.path("status").asText());
        assertEquals("2026-11-23T01:00:15Z", patch.path("endedAt").asText(), "ended at its last activity, not at the restart");
    }

    @Test
    void leftoverWhoseUpdatesWereNeverSent_isCreatedThenEnded_withOnePatch() throws Exception {
        // GIVEN an app that dies offline, before the session ever reached the server
        KioskTelemetry app = KioskTelemetry.builder().transport((m, p, t, b) -> {
                    throw new java.net.ConnectException("offline");
                }).deviceToken("kt1-test").journalDirectory(journalDir).clock(clock).ticker(clock::nanos)
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))).build();
        Session s = app.sessions().start(null, null);
        s.enter(FunnelStage.FRAME_SELECT);
        s.enter(FunnelStage.PAYMENT);
        assertTrue(app.buffer().awaitDurable(Duration.ofSeconds(5)));
        app.crash();

        KioskTelemetry again = kiosk();
        assertTrue(again.buffer().flush());

        assertEquals(1, backend.received("/api/sessions/").size(), "the queued update is replaced by the final one");
        JsonNode patch = backend.body("patch", s.id());
        assertEquals(3, patch.path("seq").asLong());
        assertEquals("abandoned", patch.path("status").asText());
        assertEquals("payment", patch.path("funnel").path("exitStage").asText());
    }

    @Test
    void close_endsOpenSessionsAtTheirLastActivity_andSendsThem() throws Exception {
        KioskTelemetry app = kiosk();
        Session s = app.sessions().start(null, null);
        s.enter(FunnelStage.EDIT);
        clock.advance(Duration.ofSeconds(40));

        app.close();
        opened.remove(app);

        JsonNode patch = backend.body("patch", s.id());
        assertEquals("abandoned", patch.path("status").asText());
        assertEquals("2026-11-23T01:00:00Z", patch.path("endedAt").asText());
        assertEquals("app closed", patch.path("exitReason").asText());
        assertEquals(SessionStatus.ABANDONED, s.status());
        KioskTelemetry next = kiosk();
        assertEquals(0, next.health().sessionsRecovered(), "nothing left for the next start");
        assertEquals(0, next.buffer().pending(), "close() sent it all");
    }
}
