package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heatmap helpers against the shared vectors, and the properties a tap and a gesture carry on the wire. */
class TapsTest {

    @TempDir
    Path journalDir;

    private static Map<String, Taps.Layout> layouts(JsonNode all) {
        Map<String, Taps.Layout> m = new HashMap<>();
        all.properties().forEach(e -> {
            List<Taps.Target> targets = new ArrayList<>();
            for (JsonNode t : e.getValue().path("targets")) {
                targets.add(new Taps.Target(t.path("id").asText(), t.path("left").asDouble(), t.path("top").asDouble(),
                        t.path("width").asDouble(), t.path("height").asDouble()));
            }
            m.put(e.getKey(), new Taps.Layout(e.getValue().path("width").asDouble(), e.getValue().path("height").asDouble(), targets));
        });
        return m;
    }

    @Test
    void tapProperties_matchEverySharedVector() {
        JsonNode vectors = SharedVectors.read("taps.json");
        Map<String, Taps.Layout> layouts = layouts(vectors.path("layouts"));
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : vectors.path("cases")) {
            double x = c.path("x").asDouble();
            double y = c.path("y").asDouble();
            Map<String, Object> got = Taps.tapProperties(x, y, layouts.get(c.path("layout").asText()));
            JsonNode want = c.path("expected");
            List<String> keys = new ArrayList<>();
            want.fieldNames().forEachRemaining(keys::add);
            if (!got.keySet().equals(new HashSet<>(keys))) {
                wrong.add(c + " keys " + got.keySet());
                continue;
            }
            for (String k : keys) {
                Object g = got.get(k);
                boolean same = want.get(k).isNumber() ? ((Number) g).doubleValue() == want.get(k).asDouble()
                        : want.get(k).asText().equals(g);
                if (!same) {
                    wrong.add(c.path("layout").asText() + " (" + x + ", " + y + ") " + k + ": expected " + want.get(k) + ", got " + g);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void helpers_answerDirectly() {
        Taps.Target ok = new Taps.Target("ok", 100, 100, 50, 20);
        Taps.Target cancel = new Taps.Target("cancel", 200, 100, 50, 20);
        Taps.Layout dialog = new Taps.Layout(400, 300, List.of(ok, cancel));
        assertEquals(Taps.HitResult.SUCCESS, Taps.hitResult(100, 100, dialog));
        assertEquals(Taps.HitResult.MISS, Taps.hitResult(150, 100, dialog), "right edge is outside the target");
        assertEquals(Taps.HitResult.OUTSIDE, Taps.hitResult(400, 10, dialog));
        assertEquals(5.0, Taps.distanceToTarget(195, 110, cancel));
        assertEquals(5.0, Taps.distanceToTarget(100 - 3, 100 - 4, ok), "3-4-5 to the corner");
        assertEquals("cancel", Taps.nearestTarget(190, 110, dialog.targets()).id());
        assertEquals("ok", Taps.nearestTarget(175, 110, dialog.targets()).id(), "a tie goes to the first listed");
    }

    @Test
    void sessionTapAndGesture_carryTheHeatmapProperties() throws IOException {
        try (StubBackend backend = new StubBackend()) {
            KioskTelemetry t = KioskTelemetry.builder().endpoint(backend.uri()).deviceToken("kt1-test").journalDirectory(journalDir)
                    .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))).build();
            try {
                Session s = t.sessions().start("3.2.0");
                Taps.Layout frames = new Taps.Layout(1080, 1920, List.of(new Taps.Target("frame-3", 400, 300, 300, 380)));
                s.tap("frame_select", 512, 300, frames);
                s.tap("frame_select", 396, 297, frames);
                s.gesture(EventType.SCROLL, "frame_select", 540, 1500, 540, 700, 420, Map.of("scrollDepth", 60));
                s.end(SessionStatus.COMPLETED, null);
                assertTrue(t.buffer().flush());
            } finally {
                t.close();
            }
            List<JsonNode> events = new ArrayList<>();
            backend.received("/api/events/batch").forEach(r -> r.body().path("events").forEach(events::add));
            assertEquals(3, events.size());
            JsonNode hit = events.get(0).path("properties");
            assertEquals("{\"x\":512,\"y\":300,\"hitResult\":\"success\",\"target\":\"frame-3\",\"nearestTarget\":\"frame-3\",\"distanceToTarget\":0}",
                    hit.toString());
            JsonNode miss = events.get(1).path("properties");
            assertEquals("miss", miss.path("hitResult").asText());
            assertEquals(5.0, miss.path("distanceToTarget").asDouble());
            assertTrue(miss.path("target").isMissingNode());
            JsonNode swipe = events.get(2).path("properties");
            assertEquals("{\"startX\":540,\"startY\":1500,\"endX\":540,\"endY\":700,\"durationMs\":420,\"scrollDepth\":60}",
                    swipe.toString());
        }
    }
}
