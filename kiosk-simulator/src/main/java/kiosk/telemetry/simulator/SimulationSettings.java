package kiosk.telemetry.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to simulate, from {@code -Dsim.*} properties (README lists them).
 *
 * @param endpoint         the running stack
 * @param adminToken       the operator token (registers the simulated kiosks, reads back what the server holds)
 * @param kiosks           how many kiosks
 * @param events           events the whole fleet tracks (1,500 per kiosk is a day)
 * @param eventsPerSecond  the fleet's offered event rate (time compression: a day's 1.5 M events at 1,000/s
 *                         take 25 minutes)
 * @param eventsPerSession about how many events one customer visit makes
 * @param offlineShare     share of kiosks that lose the network once, mid-run
 * @param offline          how long each of those stays offline
 * @param lostAnswers      share of answered requests whose answer the kiosk never sees (it retries: duplicates)
 * @param senders          threads sending for the whole fleet (concurrent requests at most)
 * @param journals         where the kiosks keep their journals (a fresh directory per run)
 * @param drainTimeout     how long to wait, after the last event, for every journal to empty
 * @param verify           read back every device's records and check them exactly once
 * @param tsKiosks         kiosks of the TypeScript SDK run alongside (one Node process), at the Java kiosks' per-kiosk
 *                         budget and rate, checked the same way
 * @param sdkJsDir         the kiosk-sdk-js module (its {@code dist/sim/main.js} runs them)
 * @param node             the Node executable
 */
public record SimulationSettings(URI endpoint, String adminToken, int kiosks, long events, double eventsPerSecond,
                                 int eventsPerSession, double offlineShare, Duration offline, double lostAnswers,
                                 int senders, Path journals, Duration drainTimeout, boolean verify, long seed,
                                 int tsKiosks, Path sdkJsDir, String node) {

    /** Java kiosks only. */
    public SimulationSettings(URI endpoint, String adminToken, int kiosks, long events, double eventsPerSecond,
                              int eventsPerSession, double offlineShare, Duration offline, double lostAnswers,
                              int senders, Path journals, Duration drainTimeout, boolean verify, long seed) {
        this(endpoint, adminToken, kiosks, events, eventsPerSecond, eventsPerSession, offlineShare, offline, lostAnswers,
                senders, journals, drainTimeout, verify, seed, 0, Path.of("kiosk-sdk-js"), "node");
    }

    public static SimulationSettings fromSystemProperties() {
        String token = System.getProperty("sim.adminToken", System.getenv("TELEMETRY_ADMIN_TOKEN"));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("set -Dsim.adminToken=<operator token> (or TELEMETRY_ADMIN_TOKEN)");
        }
        int kiosks = Integer.parseInt(System.getProperty("sim.kiosks", "20"));
        Path journals = Path.of(System.getProperty("sim.journals",
                Path.of(System.getProperty("java.io.tmpdir"), "kiosk-sim-" + System.currentTimeMillis()).toString()));
        return new SimulationSettings(
                URI.create(System.getProperty("sim.url", "http://127.0.0.1:8080")),
                token,
                kiosks,
                Long.parseLong(System.getProperty("sim.events", Long.toString(kiosks * 150L))),
                Double.parseDouble(System.getProperty("sim.rate", "200")),
                Integer.parseInt(System.getProperty("sim.eventsPerSession", "37")),
                Double.parseDouble(System.getProperty("sim.offlineShare", "0.1")),
                Duration.ofSeconds(Long.parseLong(System.getProperty("sim.offlineSeconds", "20"))),
                Double.parseDouble(System.getProperty("sim.lostAnswers", "0.01")),
                Integer.parseInt(System.getProperty("sim.senders", "16")),
                journals,
                Duration.ofSeconds(Long.parseLong(System.getProperty("sim.drainSeconds", "600"))),
                Boolean.parseBoolean(System.getProperty("sim.verify", "true")),
                Long.parseLong(System.getProperty("sim.seed", "20261123")),
                Integer.parseInt(System.getProperty("sim.tsKiosks", "0")),
                Path.of(System.getProperty("sim.sdkJsDir",
                        Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "kiosk-sdk-js").toString())),
                System.getProperty("sim.node", "node"));
    }

    /** Everything but the token. */
    @Override
    public String toString() {
        return "kiosks=" + kiosks + " events=" + events + " rate=" + eventsPerSecond + "/s eventsPerSession=" + eventsPerSession
                + " offlineShare=" + offlineShare + " offline=" + offline.toSeconds() + "s lostAnswers=" + lostAnswers
                + " senders=" + senders + " endpoint=" + endpoint + " journals=" + journals + " seed=" + seed
                + (tsKiosks > 0 ? " tsKiosks=" + tsKiosks : "");
    }

    void check() {
        if (kiosks < 1 || kiosks > 100_000 || events < kiosks || eventsPerSecond <= 0 || senders < 1
                || offlineShare < 0 || offlineShare > 1 || lostAnswers < 0 || lostAnswers >= 1 || tsKiosks < 0 || tsKiosks > 1_000) {
            throw new IllegalArgumentException("settings out of range: " + this);
        }
    }
}
