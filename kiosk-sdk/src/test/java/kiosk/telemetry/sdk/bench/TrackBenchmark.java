package kiosk.telemetry.sdk.bench;

import kiosk.telemetry.sdk.Delivery;
import kiosk.telemetry.sdk.DeliveryStats;
import kiosk.telemetry.sdk.EventType;
import kiosk.telemetry.sdk.Health;
import kiosk.telemetry.sdk.KioskTelemetry;
import kiosk.telemetry.sdk.Session;
import kiosk.telemetry.sdk.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * What {@code Session.track} costs the app's thread, with the SDK's default settings (journal {@code SYNC}:
 * group commit with fsync on a background thread; flush at 50 events or every 5 s) and a real journal on disk.
 * The transport is an in-process stub that answers every request at once, so the figures are the SDK's alone
 * (no network, no server). Run: {@code ./mvnw -B -q verify -pl kiosk-sdk -Pbench -DskipTests}.
 *
 * <ol>
 *   <li>Latency: one thread, one session; 300,000 calls to warm up, then 300,000 calls timed one by one.</li>
 *   <li>Throughput: 4 threads, a session each, calling {@code track} as fast as they can for 5 s after 2 s of
 *       warm-up.</li>
 * </ol>
 */
public final class TrackBenchmark {

    private static final byte[] BATCH_OK = "{\"accepted\":0,\"duplicates\":0,\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CREATED = "{\"created\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] APPLIED = "{\"applied\":true}".getBytes(StandardCharsets.UTF_8);

    private TrackBenchmark() {
    }

    static final class InstantServer implements Transport {
        final LongAdder requests = new LongAdder();

        @Override
        public Reply send(String method, String path, String bearerToken, byte[] jsonBody) {
            requests.increment();
            if (path.endsWith("/batch")) {
                return new Reply(200, BATCH_OK, java.util.Optional.empty());
            }
            return method.equals("PATCH") ? new Reply(200, APPLIED, java.util.Optional.empty())
                    : new Reply(201, CREATED, java.util.Optional.empty());
        }
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 300_000);
        int timed = Integer.getInteger("bench.calls", 300_000);
        int threads = Integer.getInteger("bench.threads", 4);
        long seconds = Long.getLong("bench.seconds", 5);
        System.out.printf(Locale.ROOT, "kiosk SDK track() benchmark — %d cores, %s %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));

        // 1. latency, one thread
        Path dir1 = Files.createTempDirectory("kiosk-bench-latency");
        InstantServer server1 = new InstantServer();
        long[] nanos = new long[timed];
        Health h1;
        DeliveryStats.Count ev1;
        try (KioskTelemetry t = KioskTelemetry.builder().transport(server1).deviceToken("bench").journalDirectory(dir1).build()) {
            Session s = t.sessions().start("bench", null);
            Map<String, ?> props = Map.of("x", 512, "y", 300, "target", "frame-3");
            for (int i = 0; i < warmup; i++) {
                s.track(EventType.TAP, "frame_select", props);
            }
            for (int i = 0; i < timed; i++) {
                long start = System.nanoTime();
                s.track(EventType.TAP, "frame_select", props);
                nanos[i] = System.nanoTime() - start;
            }
            t.buffer().awaitDurable(java.time.Duration.ofSeconds(30));
            h1 = t.health();
            ev1 = t.buffer().stats().of(Delivery.Kind.EVENT);
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "latency (1 thread, %,d timed calls after %,d warm-up): p50 %.1f µs, p90 %.1f µs, "
                        + "p99 %.1f µs, p99.9 %.1f µs, max %.1f µs%n", timed, warmup, pct(nanos, 50), pct(nanos, 90),
                pct(nanos, 99), pct(nanos, 99.9), nanos[nanos.length - 1] / 1000.0);
        System.out.printf(Locale.ROOT, "  journal: %,d group commits for %,d records (%.0f a commit), longest wait until durable %d ms; "
                        + "sent %,d requests; evicted %,d%n", h1.journalCommits(), ev1.queued(),
                (double) ev1.queued() / Math.max(1, h1.journalCommits()), h1.maxCommitMillis(), server1.requests.sum(), ev1.evicted());
        deleteTree(dir1);

        // 2. throughput, N threads
        Path dir2 = Files.createTempDirectory("kiosk-bench-throughput");
        InstantServer server2 = new InstantServer();
        LongAdder calls = new LongAdder();
        Health h2;
        DeliveryStats.Count ev2;
        double rate;
        try (KioskTelemetry t = KioskTelemetry.builder().transport(server2).deviceToken("bench").journalDirectory(dir2).build()) {
            List<Thread> workers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[2];
            long[] countAtStart = new long[1];
            for (int w = 0; w < threads; w++) {
                Session s = t.sessions().start("bench", null);
                Thread th = new Thread(() -> {
                    Map<String, ?> props = Map.of("x", 512, "y", 300, "target", "frame-3");
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (!Thread.currentThread().isInterrupted()) {
                        s.track(EventType.TAP, "frame_select", props);
                        calls.increment();
                    }
                }, "bench-" + w);
                workers.add(th);
                th.start();
            }
            go.countDown();
            Thread.sleep(2000);
            window[0] = System.nanoTime();
            countAtStart[0] = calls.sum();
            Thread.sleep(seconds * 1000);
            long n = calls.sum() - countAtStart[0];
            window[1] = System.nanoTime();
            workers.forEach(Thread::interrupt);
            for (Thread th : workers) {
                th.join();
            }
            rate = n / ((window[1] - window[0]) / 1e9);
            t.buffer().awaitDurable(java.time.Duration.ofSeconds(60));
            h2 = t.health();
            ev2 = t.buffer().stats().of(Delivery.Kind.EVENT);
        }
        System.out.printf(Locale.ROOT, "throughput (%d threads, %d s after 2 s warm-up): %,.0f events/s enqueued%n", threads, seconds, rate);
        System.out.printf(Locale.ROOT, "  journal: %,d group commits for %,d records (%.0f a commit), longest wait until durable %d ms; "
                        + "sent %,d requests; evicted %,d (journal cap)%n", h2.journalCommits(), ev2.queued(),
                (double) ev2.queued() / Math.max(1, h2.journalCommits()), h2.maxCommitMillis(), server2.requests.sum(), ev2.evicted());
        deleteTree(dir2);

        boolean latencyOk = pct(nanos, 99) <= 50;
        boolean rateOk = rate >= 100_000;
        System.out.printf(Locale.ROOT, "targets: track() p99 ≤ 50 µs: %s; ≥ 100,000 events/s from %d threads: %s%n",
                latencyOk ? "PASS" : "FAIL", threads, rateOk ? "PASS" : "FAIL");
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
