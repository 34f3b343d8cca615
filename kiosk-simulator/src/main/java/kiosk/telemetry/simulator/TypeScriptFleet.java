package kiosk.telemetry.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.sdk.Delivery;
import kiosk.telemetry.sdk.DeliveryStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Kiosks of the TypeScript SDK, alongside the Java ones: registered here, run by one Node process
 * ({@code kiosk-sdk-js/dist/sim/main.js}, the same customer script as {@link SimulatedKiosk}), and checked by the
 * same exactly-once comparison from the delivery counts that process reports for each kiosk.
 */
final class TypeScriptFleet {

    /** What one TypeScript kiosk reported: its SDK's counts per kind and how its sessions ended. */
    record Kiosk(String deviceId, long eventsTracked, Map<String, Long> endedAs, Map<Delivery.Kind, DeliveryStats.Count> stats) {
    }

    record Outcome(boolean finished, boolean drained, double seconds, long lostAnswers, List<Kiosk> kiosks) {

        long eventsTracked() {
            return kiosks.stream().mapToLong(Kiosk::eventsTracked).sum();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path result;
    private final Thread pump;

    private TypeScriptFleet(Process process, Path result, Thread pump) {
        this.process = process;
        this.result = result;
        this.pump = pump;
    }

    /** Registers {@code settings.tsKiosks()} devices ({@code <fleet>-ts-NNNNN}) and starts their Node process. */
    static TypeScriptFleet start(SimulationSettings settings, OperatorClient operator, String fleet, PrintStream out)
            throws IOException, InterruptedException {
        Path main = settings.sdkJsDir().resolve("dist/sim/main.js");
        if (!Files.isRegularFile(main)) {
            throw new IllegalStateException(main + " is missing: build kiosk-sdk-js first (./mvnw -B package -pl kiosk-sdk-js)");
        }
        out.printf("registering %,d TypeScript kiosks as %s-ts-NNNNN%n", settings.tsKiosks(), fleet);
        ObjectNode config = JSON.createObjectNode();
        ArrayNode kiosks = config.putArray("kiosks");
        for (int i = 0; i < settings.tsKiosks(); i++) {
            String deviceId = String.format(Locale.ROOT, "%s-ts-%05d", fleet, i);
            kiosks.addObject().put("deviceId", deviceId).put("token", operator.register(deviceId, "store-" + (i % 200), "KR"));
        }
        long perKiosk = settings.events() / settings.kiosks();
        double perKioskRate = settings.eventsPerSecond() / settings.kiosks();
        config.put("endpoint", settings.endpoint().toString()).put("eventsPerKiosk", perKiosk)
                .put("eventsPerSecond", perKioskRate * settings.tsKiosks()).put("eventsPerSession", settings.eventsPerSession())
                .put("lostAnswers", settings.lostAnswers()).put("offlineShare", settings.offlineShare())
                .put("offlineSeconds", settings.offline().toSeconds()).put("journals", settings.journals().resolve("ts").toString())
                .put("drainSeconds", settings.drainTimeout().toSeconds()).put("seed", settings.seed() & 0xffffffffL);
        Files.createDirectories(settings.journals());
        Path configFile = settings.journals().resolve("ts-fleet.json");
        Path result = settings.journals().resolve("ts-result.json");
        Files.writeString(configFile, config.toString());
        Process p = new ProcessBuilder(settings.node(), main.toString(), configFile.toString(), result.toString())
                .redirectErrorStream(true).start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println(line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "sim-ts-output");
        pump.setDaemon(true);
        pump.start();
        return new TypeScriptFleet(p, result, pump);
    }

    /** Waits for the Node process (it drains its kiosks' journals before it exits) and reads what it reported. */
    Outcome await(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Outcome(false, false, 0, 0, List.of());
        }
        pump.join(2_000);
        if (process.exitValue() != 0 || !Files.exists(result)) {
            return new Outcome(false, false, 0, 0, List.of());
        }
        JsonNode r = JSON.readTree(result.toFile());
        List<Kiosk> kiosks = new ArrayList<>();
        for (JsonNode k : r.path("kiosks")) {
            Map<String, Long> ended = new TreeMap<>();
            k.path("endedAs").properties().forEach(e -> ended.put(e.getKey(), e.getValue().asLong()));
            Map<Delivery.Kind, DeliveryStats.Count> stats = new EnumMap<>(Delivery.Kind.class);
            for (Delivery.Kind kind : Delivery.Kind.values()) {
                JsonNode c = k.path("stats").path(kind.name());
                stats.put(kind, new DeliveryStats.Count(c.path("queued").asLong(), c.path("replayed").asLong(), c.path("accepted").asLong(),
                        c.path("duplicates").asLong(), c.path("notApplied").asLong(), c.path("rejected").asLong(),
                        c.path("evicted").asLong(), c.path("expired").asLong(), c.path("replaced").asLong(), c.path("pending").asLong()));
            }
            kiosks.add(new Kiosk(k.path("deviceId").asText(), k.path("eventsTracked").asLong(), ended, stats));
        }
        return new Outcome(true, r.path("drained").asBoolean(), r.path("seconds").asDouble(), r.path("lostAnswers").asLong(), kiosks);
    }

    void stop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }
}
