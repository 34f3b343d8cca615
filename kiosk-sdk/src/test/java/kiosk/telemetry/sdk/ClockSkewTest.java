package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kiosk whose clock is wrong, against a real HTTP server that refuses timestamps as the backend does (more than
 * 5 minutes ahead of its clock or 30 days behind) and sends a {@code Date} header, as API Gateway does.
 */
class ClockSkewTest {

    @TempDir
    Path journalDir;

    private StubBackend backend;
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<Long> corrections = new CopyOnWriteArrayList<>();
    private final List<KioskTelemetry> opened = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        backend = new StubBackend();
        backend.validateTimestamps(true);
    }

    @AfterEach
    void stop() {
        opened.forEach(KioskTelemetry::close);
        backend.close();
    }

    private KioskTelemetry kiosk(Clock clock) {
        KioskTelemetry t = KioskTelemetry.builder().endpoint(backend.uri()).deviceToken("kt1-test")
                .journalDirectory(journalDir).clock(clock)
                .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)))
                .listener(new DeliveryListener() {
                    @Override
                    public void onDropped(Delivery d, Drop why, String reason) {
                        dropped.add(why + " " + d.kind() + " " + reason);
                    }

                    @Override
                    public void onTimestampCorrected(Delivery d, long byMillis) {
                        corrections.add(byMillis);
                    }
                }).build();
        opened.add(t);
        return t;
    }

    private static void assertNear(Instant expectedLow, Instant expectedHigh, String actual, String what) {
        Instant t = Instant.parse(actual);
        assertTrue(!t.isBefore(expectedLow.minusSeconds(1)) && !t.isAfter(expectedHigh.plusSeconds(1)),
                what + " " + t + " is not within a second of [" + expectedLow + ", " + expectedHigh + "]");
    }

    @ParameterizedTest(name = "kiosk clock off by {0} s")
    @ValueSource(longs = {3600, -40L * 24 * 3600})
    void wrongKioskClock_nothingIsLost_andEveryTimeIsRightWithinASecond(long skewSeconds) throws Exception {
        KioskTelemetry t = kiosk(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(skewSeconds)));

        // GIVEN a whole visit recorded before the kiosk ever heard from the server
        Instant before = Instant.now();
        Session s = t.sessions().start("3.2.0", null);
        s.enter(FunnelStage.START);
        for (int i = 0; i < 10; i++) {
            s.track(EventType.TAP, "start", Map.of("x", i));
        }
        t.performance().record(MetricType.CAPTURE, s, 1200, true, null, null);
        t.errors().report(Severity.WARNING, ErrorCategory.HARDWARE, "PAPER_LOW", "paper low", null, s);
        String saleId = t.sales().sale(s).currency("KRW").method(PaymentMethod.CARD).gross("5000").record();
        s.end(SessionStatus.COMPLETED, null);
        Instant after = Instant.now();

        // WHEN it sends
        assertTrue(t.buffer().drain(Duration.ofSeconds(10)));

        // THEN the server holds everything, and every time is the server's time of the action
        assertEquals(List.of(), dropped, "nothing refused for good");
        assertEquals(1, backend.stored("sessions").size());
        assertEquals(10, backend.stored("events").size());
        assertEquals(1, backend.stored("metrics").size());
        assertEquals(1, backend.stored("errors").size());
        assertEquals(1, backend.stored("sales").size());
        assertNear(before, after, backend.body("sessions", s.id()).path("startedAt").asText(), "startedAt");
        for (int i = 0; i < 10; i++) {
            assertNear(before, after, backend.body("events", s.id() + "#" + i).path("timestamp").asText(), "event " + i);
        }
        assertNear(before, after, backend.body("sales", saleId).path("soldAt").asText(), "soldAt");
        JsonNode patch = backend.body("patch", s.id());
        assertEquals("completed", patch.path("status").asText());
        assertNear(before, after, patch.path("endedAt").asText(), "endedAt");
        for (JsonNode stage : patch.path("funnel").path("stages")) {
            assertNear(before, after, stage.path("enteredAt").asText(), "stage " + stage.path("stage").asText());
        }
        assertEquals(1, corrections.size(), "the first refusal (the session) is corrected and sent again once; "
                + "the rest is corrected before sending: " + corrections);
        assertTrue(Math.abs(corrections.get(0) + skewSeconds * 1000) < 1500, "corrected by about the skew: " + corrections);
        assertTrue(Math.abs(t.health().clockOffsetMillis() + skewSeconds * 1000) < 1500, t.health().toString());
    }

    @Test
    void afterTheFirstAnswer_newRecordsAreStampedWithServerTime() throws Exception {
        KioskTelemetry t = kiosk(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        Session first = t.sessions().start(null, null);
        assertTrue(t.buffer().drain(Duration.ofSeconds(10)));
        corrections.clear();

        Instant before = Instant.now();
        Session s = t.sessions().start(null, null);
        s.track(EventType.SCROLL, "edit", Map.of("scrollDepth", 40));
        Instant after = Instant.now();

        assertNear(before, after, s.startedAt().toString(), "the session's own startedAt");
        assertTrue(t.buffer().drain(Duration.ofSeconds(10)));
        assertEquals(List.of(), corrections, "stamped right: nothing to correct");
        assertNear(before, after, backend.body("events", s.id() + "#0").path("timestamp").asText(), "event");
        assertEquals(2, backend.stored("sessions").size(), first.id());
    }

    @Test
    void wallClockJumpWhileRunning_doesNotBendDurations() throws Exception {
        MutableClock wall = new MutableClock(Instant.now());
        KioskTelemetry t = kiosk(wall);
        Session s = t.sessions().start(null, null);
        var timer = t.performance().start(MetricType.RENDER, s);

        wall.advance(Duration.ofHours(2)); // NTP or a user moves the wall clock
        timer.stop(true, null);
        assertEquals(0, t.sessions().endIdle(), "a jump of the wall clock is no idle time");
        assertTrue(t.buffer().drain(Duration.ofSeconds(10)));

        JsonNode metric = backend.received("/api/performance/batch").get(0).body().path("metrics").get(0);
        assertTrue(metric.path("durationMs").asLong() < 1000, "measured on the monotonic clock: " + metric);
        assertEquals(SessionStatus.STARTED, s.status());
    }
}
