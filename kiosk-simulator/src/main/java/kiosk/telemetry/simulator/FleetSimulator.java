package kiosk.telemetry.simulator;

import kiosk.telemetry.sdk.Delivery;
import kiosk.telemetry.sdk.DeliveryStats;
import kiosk.telemetry.sdk.Durability;
import kiosk.telemetry.sdk.EventBuffer;
import kiosk.telemetry.sdk.HttpTransport;
import kiosk.telemetry.sdk.KioskTelemetry;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.security.SecureRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;

/**
 * Simulates a fleet of kiosks through the SDK against a running stack, shows progress every 5 seconds, and ends
 * with a table (requests/s, events/s, latency per route, accepted/duplicate/rejected) and an exactly-once check
 * of what the server holds against what each kiosk meant to send.
 * <pre>./mvnw install -DskipTests -Psimulate -Dsim.kiosks=1000 -Dsim.events=1500000 -Dsim.rate=1000</pre>
 */
public final class FleetSimulator {

    /** The kinds the check reads back, with their list route. */
    private static final Map<Delivery.Kind, String> LISTED = Map.of(Delivery.Kind.SESSION_START, "sessions",
            Delivery.Kind.EVENT, "events", Delivery.Kind.METRIC, "performance", Delivery.Kind.ERROR, "errors",
            Delivery.Kind.SALE, "sales");
    private static final List<Delivery.Kind> ORDER = List.of(Delivery.Kind.SESSION_START, Delivery.Kind.SESSION_UPDATE,
            Delivery.Kind.EVENT, Delivery.Kind.METRIC, Delivery.Kind.ERROR, Delivery.Kind.SALE);

    /** What one run measured and found. */
    public record Result(double seconds, long eventsTracked, long requests, Map<Delivery.Kind, DeliveryStats.Count> byKind,
                         List<RouteLatencies.RouteFigures> routes, long lostAnswers, int kiosksWentOffline,
                         List<String> mismatches, boolean drained, boolean verified, int tsKiosks, long tsEventsTracked) {

        public boolean exactlyOnce() {
            return verified && drained && mismatches.isEmpty();
        }

        /** Events the server stored per second: accepted, or found stored when a lost answer made the kiosk resend. */
        public double eventsPerSecond() {
            DeliveryStats.Count events = byKind.get(Delivery.Kind.EVENT);
            return (events.accepted() + events.duplicates()) / seconds;
        }
    }

    private final SimulationSettings settings;
    private final PrintStream out;

    public FleetSimulator(SimulationSettings settings, PrintStream out) {
        settings.check();
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        Result result = new FleetSimulator(settings, System.out).run();
        if (!result.drained() || settings.verify() && !result.exactlyOnce()) {
            throw new IllegalStateException("the fleet's records did not all reach the server exactly once (see above)");
        }
    }

    public Result run() throws Exception {
        out.println("fleet simulator: " + settings);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        OperatorClient operator = new OperatorClient(settings.endpoint(), settings.adminToken(), http);
        RouteLatencies latencies = new RouteLatencies();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(settings.senders(), daemon("sim-sender"));
        ScheduledExecutorService kioskClock = Executors.newScheduledThreadPool(2, daemon("sim-kiosk"));
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        // a new fleet name every run (the behaviour stays seeded), so runs against one stack never collide
        String fleet = "sim-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffL | 0x1000000L).substring(1);
        List<SimulatedKiosk> kiosks = new ArrayList<>();
        TypeScriptFleet ts = null;
        try {
            out.printf("registering %,d kiosks as %s-NNNNN%n", settings.kiosks(), fleet);
            long perKiosk = settings.events() / settings.kiosks();
            for (int i = 0; i < settings.kiosks(); i++) {
                String deviceId = String.format(Locale.ROOT, "%s-%05d", fleet, i);
                String token = operator.register(deviceId, "store-" + (i % 200), "KR");
                SplittableRandom random = seeds.split();
                FlakyNetwork network = new FlakyNetwork(new HttpTransport(settings.endpoint(), http, Duration.ofSeconds(30)),
                        settings.lostAnswers(), random.split());
                KioskTelemetry telemetry = KioskTelemetry.builder().deviceToken(token).transport(network)
                        .journalDirectory(settings.journals().resolve(deviceId)).scheduler(senders).listener(latencies)
                        .random(random.split())
                        .settings(EventBuffer.Settings.defaults().withDurability(Durability.BUFFERED)
                                .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(10)))
                        .build();
                long budget = perKiosk + (i < settings.events() % settings.kiosks() ? 1 : 0);
                kiosks.add(new SimulatedKiosk(deviceId, telemetry, network, random, budget, settings.eventsPerSession()));
            }
            if (settings.tsKiosks() > 0) {
                ts = TypeScriptFleet.start(settings, operator, fleet, out);
            }
            return drive(kiosks, kioskClock, latencies, operator, seeds, ts);
        } finally {
            if (ts != null) {
                ts.stop();
            }
            kioskClock.shutdownNow();
            kiosks.forEach(k -> k.telemetry.close());
            senders.shutdownNow();
        }
    }

    private Result drive(List<SimulatedKiosk> kiosks, ScheduledExecutorService kioskClock, RouteLatencies latencies,
                         OperatorClient operator, SplittableRandom seeds, TypeScriptFleet ts) throws Exception {
        long periodMicros = Math.max(1, Math.round(kiosks.size() / settings.eventsPerSecond() * 1e6));
        double plannedSeconds = settings.events() / settings.eventsPerSecond();
        long start = System.nanoTime();
        List<ScheduledFuture<?>> steps = new ArrayList<>();
        for (int i = 0; i < kiosks.size(); i++) {
            SimulatedKiosk k = kiosks.get(i);
            long offset = periodMicros * i / kiosks.size();
            steps.add(kioskClock.scheduleAtFixedRate(() -> {
                try {
                    k.step();
                } catch (RuntimeException e) {
                    out.println("kiosk " + k.deviceId + " failed: " + e);
                }
            }, offset, periodMicros, TimeUnit.MICROSECONDS));
        }
        int wentOffline = planOutages(kiosks, kioskClock, seeds, plannedSeconds);

        long lastReport = System.nanoTime();
        long lastEvents = 0;
        long lastDelivered = 0;
        long lastRequests = 0;
        while (!kiosks.stream().allMatch(SimulatedKiosk::done)) {
            Thread.sleep(250);
            if (System.nanoTime() - lastReport >= 5_000_000_000L) {
                double dt = (System.nanoTime() - lastReport) / 1e9;
                long events = kiosks.stream().mapToLong(SimulatedKiosk::eventsTracked).sum();
                long delivered = kiosks.stream().mapToLong(k -> k.telemetry.buffer().stats().delivered(Delivery.Kind.EVENT)).sum();
                long pending = kiosks.stream().mapToLong(k -> k.telemetry.buffer().pending()).sum();
                long requests = latencies.requests();
                long offline = kiosks.stream().filter(k -> k.network.offline()).count();
                out.printf(Locale.ROOT, "[%5.0fs] events %,d of %,d (%,.0f/s) · delivered %,d (%,.0f/s) · pending %,d · requests %,.0f/s · offline kiosks %d%n",
                        (System.nanoTime() - start) / 1e9, events, settings.events(), (events - lastEvents) / dt, delivered,
                        (delivered - lastDelivered) / dt, pending, (requests - lastRequests) / dt, offline);
                lastReport = System.nanoTime();
                lastEvents = events;
                lastDelivered = delivered;
                lastRequests = requests;
            }
        }
        steps.forEach(f -> f.cancel(false));
        kiosks.forEach(k -> k.network.offline(false));
        out.printf(Locale.ROOT, "[%5.0fs] every kiosk has tracked its events; waiting for the journals to empty%n", (System.nanoTime() - start) / 1e9);
        boolean drained = drain(kiosks, start);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<Delivery.Kind, DeliveryStats.Count> totals = totals(kiosks);
        List<RouteLatencies.RouteFigures> routes = ORDER.stream().map(latencies::figures).toList();
        long lost = kiosks.stream().mapToLong(k -> k.network.lostAnswers()).sum();
        long tracked = kiosks.stream().mapToLong(SimulatedKiosk::eventsTracked).sum();
        List<String> mismatches = new ArrayList<>(settings.verify() && drained ? verify(kiosks, operator) : List.of());
        long tsTracked = 0;
        if (ts != null) {
            TypeScriptFleet.Outcome o = ts.await(Duration.ofSeconds((long) plannedSeconds).plus(settings.drainTimeout()).plusMinutes(1));
            tsTracked = o.eventsTracked();
            lost += o.lostAnswers();
            out.printf(Locale.ROOT, "TypeScript kiosks: %d finished=%s drained=%s, %,d events tracked in %.1f s%n",
                    o.kiosks().size(), o.finished(), o.drained(), tsTracked, o.seconds());
            drained = drained && o.finished() && o.drained() && o.kiosks().size() == settings.tsKiosks();
            if (settings.verify() && drained) {
                mismatches.addAll(verifyTypeScript(o, operator));
            }
        }
        Result r = new Result(seconds, tracked, latencies.requests(), totals, routes, lost, wentOffline, mismatches, drained,
                settings.verify() && drained, settings.tsKiosks(), tsTracked);
        print(r);
        return r;
    }

    private int planOutages(List<SimulatedKiosk> kiosks, ScheduledExecutorService clock, SplittableRandom seeds, double plannedSeconds) {
        int n = (int) Math.round(kiosks.size() * settings.offlineShare());
        SplittableRandom r = seeds.split();
        for (int i = 0; i < n; i++) {
            SimulatedKiosk k = kiosks.get(r.nextInt(kiosks.size()));
            long at = (long) (plannedSeconds * 1000 * (0.1 + 0.6 * r.nextDouble()));
            clock.schedule(() -> k.network.offline(true), at, TimeUnit.MILLISECONDS);
            clock.schedule(() -> k.network.offline(false), at + settings.offline().toMillis(), TimeUnit.MILLISECONDS);
        }
        return n;
    }

    private boolean drain(List<SimulatedKiosk> kiosks, long start) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long pending = kiosks.stream().mapToLong(k -> k.telemetry.buffer().pending()).sum();
            if (pending == 0) {
                return true;
            }
            if (System.nanoTime() - lastReport >= 5_000_000_000L) {
                out.printf(Locale.ROOT, "[%5.0fs] pending %,d%n", (System.nanoTime() - start) / 1e9, pending);
                lastReport = System.nanoTime();
            }
            kiosks.forEach(k -> k.telemetry.buffer().flushSoon());
            Thread.sleep(200);
        }
        return false;
    }

    private static Map<Delivery.Kind, DeliveryStats.Count> totals(List<SimulatedKiosk> kiosks) {
        Map<Delivery.Kind, DeliveryStats.Count> sum = new EnumMap<>(Delivery.Kind.class);
        for (SimulatedKiosk k : kiosks) {
            k.telemetry.buffer().stats().byKind().forEach((kind, c) -> sum.merge(kind, c, FleetSimulator::add));
        }
        return sum;
    }

    private static DeliveryStats.Count add(DeliveryStats.Count a, DeliveryStats.Count b) {
        return new DeliveryStats.Count(a.queued() + b.queued(), a.replayed() + b.replayed(), a.accepted() + b.accepted(),
                a.duplicates() + b.duplicates(), a.notApplied() + b.notApplied(), a.rejected() + b.rejected(),
                a.evicted() + b.evicted(), a.expired() + b.expired(), a.replaced() + b.replaced(), a.pending() + b.pending());
    }

    /**
     * Reads back, per device and kind, what the server holds, and compares it with what the kiosk queued (every
     * record it meant to send, whether or not the SDK had to retry it). Sessions are also compared by final status.
     */
    /** The same check for the TypeScript kiosks, from the counts their SDK reported. */
    private List<String> verifyTypeScript(TypeScriptFleet.Outcome o, OperatorClient operator) throws Exception {
        out.printf("checking what the server holds for %,d TypeScript devices ...%n", o.kiosks().size());
        List<String> problems = new ArrayList<>();
        for (TypeScriptFleet.Kiosk k : o.kiosks()) {
            for (var e : LISTED.entrySet()) {
                OperatorClient.Held held = operator.held(e.getValue(), k.deviceId());
                Map<String, Long> statuses = e.getKey() == Delivery.Kind.SESSION_START ? k.endedAs() : Map.of();
                problems.addAll(compare(k.deviceId(), e.getValue(), k.stats().get(e.getKey()), statuses, held));
            }
        }
        return problems;
    }

    private List<String> verify(List<SimulatedKiosk> kiosks, OperatorClient operator) throws Exception {
        out.printf("checking what the server holds for %,d devices ...%n", kiosks.size());
        ExecutorService pool = Executors.newFixedThreadPool(8, daemon("sim-verify"));
        try {
            List<Future<List<String>>> checks = new ArrayList<>();
            for (SimulatedKiosk k : kiosks) {
                checks.add(pool.submit(() -> verifyOne(k, operator)));
            }
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> f : checks) {
                mismatches.addAll(f.get());
            }
            return mismatches;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> verifyOne(SimulatedKiosk k, OperatorClient operator) throws Exception {
        List<String> problems = new ArrayList<>();
        DeliveryStats stats = k.telemetry.buffer().stats();
        for (var e : LISTED.entrySet()) {
            OperatorClient.Held held = operator.held(e.getValue(), k.deviceId);
            Map<String, Long> meantStatuses = new TreeMap<>();
            if (e.getKey() == Delivery.Kind.SESSION_START) {
                k.endedAs().forEach((status, n) -> meantStatuses.put(status.apiName(), n));
            }
            problems.addAll(compare(k.deviceId, e.getValue(), stats.of(e.getKey()), meantStatuses, held));
        }
        return problems;
    }

    /**
     * One device and kind: the server must hold exactly the records the kiosk queued, none refused or dropped on
     * the way, and (sessions) with the statuses the kiosk ended them in.
     */
    static List<String> compare(String deviceId, String kind, DeliveryStats.Count meant, Map<String, Long> meantStatuses,
                                OperatorClient.Held held) {
        List<String> problems = new ArrayList<>();
        if (held.count() != meant.queued() || meant.rejected() + meant.evicted() + meant.expired() + meant.pending() > 0) {
            problems.add(String.format(Locale.ROOT, "%s %s: meant %d, server holds %d (rejected %d, evicted %d, expired %d, pending %d)",
                    deviceId, kind, meant.queued(), held.count(), meant.rejected(), meant.evicted(), meant.expired(), meant.pending()));
        }
        if (kind.equals("sessions") && !meantStatuses.equals(held.byStatus())) {
            problems.add(deviceId + " session statuses: meant " + meantStatuses + ", server holds " + held.byStatus());
        }
        return problems;
    }

    private void print(Result r) {
        out.println();
        out.printf(Locale.ROOT, "%,d events tracked by %,d kiosks in %.1f s (until every journal was empty); %d kiosks went offline; %,d answers lost on purpose%n",
                r.eventsTracked(), settings.kiosks(), r.seconds(), r.kiosksWentOffline(), r.lostAnswers());
        if (r.tsKiosks() > 0) {
            out.printf(Locale.ROOT, "and %,d events tracked by %,d TypeScript kiosks (checked below with the rest; the tables are the Java kiosks')%n",
                    r.tsEventsTracked(), r.tsKiosks());
        }
        out.printf(Locale.ROOT, "throughput: %,.0f requests/s, %,.0f events/s stored%n", r.requests() / r.seconds(), r.eventsPerSecond());
        out.println();
        out.printf("%-32s %9s %9s %9s %9s %9s  %s%n", "route", "answered", "no answer", "p50 ms", "p99 ms", "max ms", "statuses");
        for (RouteLatencies.RouteFigures f : r.routes()) {
            out.printf(Locale.ROOT, "%-32s %,9d %,9d %9.1f %9.1f %9.1f  %s%n", f.kind().route(), f.answered(), f.noAnswer(),
                    f.p50Ms(), f.p99Ms(), f.maxMs(), f.statuses());
        }
        out.println();
        out.printf("%-16s %10s %10s %10s %10s %10s %10s %10s %10s%n", "kind", "queued", "accepted", "duplicate", "not appl.",
                "replaced", "rejected", "evicted", "pending");
        for (Delivery.Kind kind : ORDER) {
            DeliveryStats.Count c = r.byKind().get(kind);
            out.printf(Locale.ROOT, "%-16s %,10d %,10d %,10d %,10d %,10d %,10d %,10d %,10d%n", kind.name().toLowerCase(Locale.ROOT),
                    c.queued(), c.accepted(), c.duplicates(), c.notApplied(), c.replaced(), c.rejected(), c.evicted(), c.pending());
        }
        out.println();
        if (!r.drained()) {
            out.println("exactly-once: NOT CHECKED, the journals did not empty within " + settings.drainTimeout());
        } else if (!settings.verify()) {
            out.println("exactly-once: not checked (-Dsim.verify=false)");
        } else if (r.mismatches().isEmpty()) {
            out.printf("exactly-once: PASS (%,d devices × sessions, events, performance, errors, sales; session statuses)%n",
                    settings.kiosks() + r.tsKiosks());
        } else {
            out.printf("exactly-once: FAIL, %d mismatches%n", r.mismatches().size());
            r.mismatches().stream().limit(20).forEach(m -> out.println("  " + m));
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
