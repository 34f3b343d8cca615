package kiosk.telemetry.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.sdk.Delivery;
import kiosk.telemetry.sdk.DeliveryStats;
import kiosk.telemetry.sdk.EventBuffer;
import kiosk.telemetry.sdk.EventType;
import kiosk.telemetry.sdk.FunnelStage;
import kiosk.telemetry.sdk.HttpTransport;
import kiosk.telemetry.sdk.KioskTelemetry;
import kiosk.telemetry.sdk.MetricType;
import kiosk.telemetry.sdk.PaymentMethod;
import kiosk.telemetry.sdk.Session;
import kiosk.telemetry.sdk.SessionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK and the fleet simulator against the real local stack (every function, DynamoDB Local, in memory). */
class KioskSdkIT {

    private static RunningStack stack;
    private static OperatorClient operator;

    @TempDir
    Path journals;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.start();
        operator = new OperatorClient(stack.uri, stack.adminToken, HttpClient.newHttpClient());
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private KioskTelemetry kiosk(String token, FlakyNetwork network) {
        return KioskTelemetry.builder().deviceToken(token).transport(network).journalDirectory(journals)
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofMillis(500))
                        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
    }

    @Test
    void kioskOfflineMidSession_andRestartedWhileOffline_deliversEveryEventExactlyOnce() throws Exception {
        String token = operator.register("kiosk-e2e-offline", "store-12", "KR");
        // a network that also loses a fifth of the answers, so retries meet records the server already holds
        FlakyNetwork network = new FlakyNetwork(new HttpTransport(stack.uri, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                0.2, new SplittableRandom(42));

        // GIVEN a session that sent its first 30 events while online
        KioskTelemetry app = kiosk(token, network);
        Session s = app.sessions().start("3.2.0", Map.of("frameLayout", "B"));
        s.enter(FunnelStage.START);
        for (int i = 0; i < 30; i++) {
            s.track("tap", "start", Map.of("x", i));
        }
        assertTrue(app.buffer().drain(Duration.ofSeconds(20)));

        // WHEN the network goes down mid-session, the customer goes on, and the app restarts before it comes back
        network.offline(true);
        s.enter(FunnelStage.CAPTURE);
        for (int i = 30; i < 75; i++) {
            s.track(i % 5 == 0 ? "scroll" : "tap", "capture", i % 5 == 0 ? Map.of("scrollDepth", i) : Map.of("x", i));
        }
        app.performance().record(MetricType.CAPTURE, s, 1834, true, Map.of("shutter", 120L, "save", 1714L), null);
        app.sales().record(s, "KRW", PaymentMethod.CARD, new BigDecimal("10000"), new BigDecimal("1000"),
                new BigDecimal("818"), null, null);
        s.end(SessionStatus.COMPLETED, null);
        assertFalse(app.buffer().flush(), "offline: nothing goes through");
        app.close();
        network.offline(false);
        KioskTelemetry restarted = kiosk(token, network);
        assertTrue(restarted.buffer().drain(Duration.ofSeconds(30)));
        restarted.close();

        // THEN the server holds each of the 75 events once, in order, and the session's final state
        JsonNode events = operator.sessionEvents(s.id());
        List<Long> seqs = new ArrayList<>();
        events.forEach(e -> seqs.add(e.path("sequenceNo").asLong()));
        assertEquals(LongStream.range(0, 75).boxed().toList(), seqs);
        assertEquals(75, operator.held("events", "kiosk-e2e-offline").count());
        JsonNode session = operator.get("/api/sessions/" + s.id());
        assertEquals("completed", session.path("status").asText());
        assertEquals("kiosk-e2e-offline", session.path("deviceId").asText());
        assertEquals(1, operator.held("sales", "kiosk-e2e-offline").count());
        assertEquals(1, operator.held("performance", "kiosk-e2e-offline").count());
        assertTrue(network.lostAnswers() > 0, "the test lost some answers on purpose");
    }

    @Test
    void sessionsOpenAtACrashOrAtClose_areEndedOnTheServer_atTheirLastActivity() throws Exception {
        String token = operator.register("kiosk-e2e-restart", "store-12", "KR");
        FlakyNetwork network = new FlakyNetwork(new HttpTransport(stack.uri, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                0.0, new SplittableRandom(1));
        Path crashDir = journals.resolve("crashed");
        Path liveDir = journals.resolve("live");

        // GIVEN a customer in capture when the app dies: the journal as the crash leaves it is copied aside
        KioskTelemetry app = KioskTelemetry.builder().deviceToken(token).transport(network).journalDirectory(liveDir)
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofMillis(500))).build();
        Session crashed = app.sessions().start("3.2.0", null);
        crashed.enter(FunnelStage.START);
        crashed.enter(FunnelStage.CAPTURE);
        crashed.track(EventType.TAP, "capture", Map.of("x", 1));
        assertTrue(app.buffer().drain(Duration.ofSeconds(20)));
        assertTrue(app.buffer().awaitDurable(Duration.ofSeconds(10)));
        java.nio.file.Files.createDirectories(crashDir);
        java.nio.file.Files.copy(liveDir.resolve("telemetry-journal.log"), crashDir.resolve("telemetry-journal.log"));
        Instant lastActivity = crashed.lastActivity();

        // WHEN the app starts again on that journal
        KioskTelemetry restarted = KioskTelemetry.builder().deviceToken(token).transport(network).journalDirectory(crashDir).build();
        assertEquals(1, restarted.health().sessionsRecovered());
        assertTrue(restarted.buffer().drain(Duration.ofSeconds(20)));
        restarted.close();

        // THEN the server shows the session abandoned at its last activity, in capture
        JsonNode session = operator.get("/api/sessions/" + crashed.id());
        assertEquals("abandoned", session.path("status").asText(), session.toString());
        assertEquals(lastActivity, Instant.parse(session.path("endedAt").asText()));
        assertEquals("capture", session.path("funnel").path("exitStage").asText(), session.toString());

        // AND a session open at close() is ended too
        Session open = app.sessions().start("3.2.0", null);
        open.enter(FunnelStage.PAYMENT);
        app.close();
        JsonNode closed = operator.get("/api/sessions/" + open.id());
        assertEquals("abandoned", closed.path("status").asText(), closed.toString());
        assertEquals("payment", closed.path("funnel").path("exitStage").asText());
    }

    @Test
    void fleetSimulator_smallFleet_withOutagesAndLostAnswers_holdsExactlyOnce() throws Exception {
        var settings = new SimulationSettings(stack.uri, stack.adminToken, 6, 3_000, 600, 37, 0.5,
                Duration.ofSeconds(2), 0.05, 4, journals, Duration.ofSeconds(120), true, 7);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        FleetSimulator.Result r = new FleetSimulator(settings, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(r.exactlyOnce(), output);
        assertTrue(r.eventsTracked() >= 3_000, "each kiosk finishes the session it is in when its budget is used up");
        DeliveryStats.Count events = r.byKind().get(Delivery.Kind.EVENT);
        assertEquals(r.eventsTracked(), events.queued());
        assertEquals(r.eventsTracked(), events.accepted() + events.duplicates(),
                "each event answered for once: stored, or found stored after a lost answer");
        assertTrue(r.lostAnswers() > 0 && r.byKind().values().stream().mapToLong(DeliveryStats.Count::duplicates).sum() > 0,
                "lost answers show up as duplicates\n" + output);
        assertTrue(output.contains("exactly-once: PASS"), output);
        assertTrue(output.contains("POST /api/events/batch"), output);
    }

    @Test
    void javaAndTypeScriptKiosksTogether_withOutagesAndLostAnswers_holdExactlyOnce() throws Exception {
        var settings = new SimulationSettings(stack.uri, stack.adminToken, 4, 2_000, 400, 37, 0.5,
                Duration.ofSeconds(2), 0.05, 4, journals, Duration.ofSeconds(120), true, 11,
                5, Path.of(System.getProperty("sim.sdkJsDir", "../kiosk-sdk-js")), "node");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        FleetSimulator.Result r = new FleetSimulator(settings, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(r.exactlyOnce(), output);
        assertEquals(5, r.tsKiosks());
        assertTrue(r.tsEventsTracked() >= 5 * 500, "each TypeScript kiosk used its budget\n" + output);
        assertTrue(output.contains("exactly-once: PASS (9 devices"), output);
    }
}
