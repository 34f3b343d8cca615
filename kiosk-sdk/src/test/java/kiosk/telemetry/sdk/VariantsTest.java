package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Variant assignment against the shared vectors, and its place in a session's {@code experiments}. */
class VariantsTest {

    @TempDir
    Path journalDir;

    private static Experiment experimentOf(JsonNode c) {
        Experiment e = Experiment.perSession(c.path("experiment").asText());
        for (JsonNode v : c.path("variants")) {
            e = e.variant(v.get(0).asText(), v.get(1).asInt());
        }
        return e;
    }

    @Test
    void assign_matchesEverySharedVector() {
        JsonNode cases = SharedVectors.read("variants.json").path("cases");
        assertTrue(cases.size() >= 300, "vectors present: " + cases.size());
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : cases) {
            String unit = c.path("unit").asText();
            String name = c.path("experiment").asText();
            if (Variants.hash(unit, name) != c.path("hash").asLong()) {
                wrong.add("hash of " + unit + ":" + name);
            }
            String got = Variants.assign(unit, experimentOf(c));
            if (!c.path("expected").asText().equals(got)) {
                wrong.add(unit + " in " + name + ": expected " + c.path("expected").asText() + ", got " + got);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void assign_splitsByWeight_overManyUnits() {
        Experiment e = Experiment.perDevice("priceTag").variant("control", 80).variant("badge", 20);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            counts.merge(Variants.assign("kiosk-" + i, e), 1, Integer::sum);
        }
        // 20,000 draws at p = 0.2: sd = 57, so ±300 is more than 5 sd
        assertEquals(4_000, counts.get("badge"), 300);
        assertTrue(Variants.position("kiosk-1", "priceTag") >= 0 && Variants.position("kiosk-1", "priceTag") < 1);
    }

    @Test
    void definitions_thatCannotWork_areRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> Experiment.perDevice("bad name"));
        assertThrows(IllegalArgumentException.class, () -> Experiment.perDevice("x").variant("A", -1));
        assertThrows(IllegalArgumentException.class, () -> Experiment.perDevice("x").variant("A", 1).variant("A", 2));
        assertThrows(IllegalArgumentException.class, () -> Experiment.perDevice("x").variant("A", 1 << 20).variant("B", 1));
        assertNull(Variants.assign("kiosk-1", Experiment.perDevice("empty")), "no weight, no assignment");
        assertThrows(IllegalStateException.class, () -> KioskTelemetry.builder().endpoint(URI.create("http://127.0.0.1:9"))
                .deviceToken("t").journalDirectory(journalDir).experiments(Experiment.perDevice("x").variant("A", 1)).build(),
                "a per-device experiment without the device id");
    }

    @Test
    void sessions_carryTheirAssignments_perDeviceStableAcrossRestarts() throws IOException {
        Experiment layout = Experiment.perDevice("frameLayout").variant("A", 50).variant("B", 50);
        Experiment price = Experiment.perSession("priceTag").variant("control", 80).variant("badge", 20);
        String deviceLayout = Variants.assign("kiosk-0001", layout);
        try (StubBackend backend = new StubBackend()) {
            for (int run = 0; run < 2; run++) {
                KioskTelemetry t = KioskTelemetry.builder().endpoint(backend.uri()).deviceToken("kt1-test")
                        .journalDirectory(journalDir).deviceId("kiosk-0001").experiments(layout, price)
                        .settings(EventBuffer.Settings.defaults().withFlushInterval(Duration.ofHours(1))).build();
                try {
                    assertEquals(deviceLayout, t.sessions().deviceVariant("frameLayout"));
                    assertNull(t.sessions().deviceVariant("priceTag"), "per session: no device-wide variant");
                    for (int i = 0; i < 5; i++) {
                        Session s = t.sessions().start("3.2.0");
                        assertEquals(Map.of("frameLayout", deviceLayout, "priceTag", Variants.assign(s.id(), price)), s.experiments());
                        assertEquals(deviceLayout, s.variant("frameLayout"));
                        s.end(SessionStatus.ABANDONED, null);
                    }
                    Session forced = t.sessions().start("3.2.0", Map.of("frameLayout", "C", "heroImage", "sunset"));
                    assertEquals("C", forced.variant("frameLayout"), "the app's own entry wins");
                    assertEquals("sunset", forced.variant("heroImage"));
                    assertTrue(t.buffer().flush());
                } finally {
                    t.close();
                }
            }
            List<StubBackend.Received> created = backend.received("/api/sessions").stream()
                    .filter(r -> r.method().equals("POST")).toList();
            assertEquals(12, created.size());
            for (StubBackend.Received r : created) {
                JsonNode ex = r.body().path("experiments");
                String session = r.body().path("sessionId").asText();
                if (!ex.path("heroImage").isMissingNode()) {
                    continue;
                }
                assertEquals(deviceLayout, ex.path("frameLayout").asText(), "same variant in both runs");
                assertEquals(Variants.assign(session, price), ex.path("priceTag").asText());
            }
        }
    }
}
