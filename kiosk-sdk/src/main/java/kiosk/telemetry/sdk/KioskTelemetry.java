package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The SDK's entry point: one per kiosk app, built once at start-up, closed at shutdown.
 * <pre>{@code
 * KioskTelemetry telemetry = KioskTelemetry.builder()
 *         .endpoint(URI.create("https://telemetry.example.com"))
 *         .deviceToken(() -> tokenStore.current())
 *         .journalDirectory(Path.of("/var/lib/kiosk/telemetry"))
 *         .build();
 * Session s = telemetry.sessions().start("3.2.0");
 * s.enter(FunnelStage.START);
 * s.track(EventType.TAP, "start", Map.of("x", 512, "y", 300));
 * }</pre>
 * Opening replays the journal, so whatever a previous run (or a power cut) left unsent goes out first, and ends
 * the sessions it left open ({@code abandoned}, or {@code timeout} when idle long enough, at their last activity).
 *
 * <p>Every app-facing call (track, enter, end, report, record, stop...) returns at once and never throws: records
 * go to memory and are written to the journal by a background group commit; problems go to the
 * {@link DeliveryListener} and to {@link #health()}. Only {@link Builder#build()} throws, for a configuration
 * that cannot work (no endpoint, a journal directory that cannot be created, or one another instance holds).
 */
public final class KioskTelemetry implements AutoCloseable {

    private final EventBuffer buffer;
    private final SessionManager sessions;
    private final PerformanceTracker performance;
    private final ErrorTracker errors;
    private final SalesRecorder sales;
    private final ScheduledFuture<?> idleCheck;
    private final ScheduledExecutorService ownScheduler;
    private final Duration closeTimeout;
    private volatile boolean closed;

    private KioskTelemetry(Builder b) {
        ObjectMapper json = new ObjectMapper();
        if (b.deviceId == null && b.experiments.stream().anyMatch(e -> e.unit() == Experiment.Unit.DEVICE)) {
            throw new IllegalStateException("per-device experiments need the kiosk's deviceId (Builder.deviceId)");
        }
        Transport transport = b.transport != null ? b.transport
                : new HttpTransport(Objects.requireNonNull(b.endpoint, "endpoint"), Duration.ofSeconds(5), Duration.ofSeconds(15));
        TimeSource time = new TimeSource(b.clock, b.ticker);
        DeliveryListener listener = DeliveryListener.safe(b.listener);
        Health.Counters health = new Health.Counters();
        Journal.Opened opened = Journal.open(Objects.requireNonNull(b.journalDirectory, "journalDirectory"),
                b.settings.durability(), json);
        this.ownScheduler = b.scheduler == null ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiosk-telemetry");
            t.setDaemon(true);
            return t;
        }) : null;
        ScheduledExecutorService scheduler = b.scheduler != null ? b.scheduler : ownScheduler;
        this.closeTimeout = b.closeTimeout;
        this.buffer = new EventBuffer(b.settings, opened, Objects.requireNonNull(b.deviceToken, "deviceToken"), transport,
                time, b.random, json, listener, scheduler, health);
        this.errors = new ErrorTracker(buffer, time, json);
        this.sessions = new SessionManager(buffer, time, json, errors, b.funnelMap, b.idleTimeout, b.experiments, b.deviceId);
        this.performance = new PerformanceTracker(buffer, time, json, b.deviceContext ? new DeviceContext() : null);
        this.sales = new SalesRecorder(buffer, time, json);
        health.sessionsRecovered.addAndGet(sessions.recover(opened.openSessions()));
        long checkMs = Math.max(1000, b.idleTimeout.toMillis() / 10);
        this.idleCheck = scheduler.scheduleWithFixedDelay(() -> {
            try {
                sessions.endIdle();
            } catch (RuntimeException e) {
                listener.onNoResponse(Delivery.Kind.SESSION_UPDATE, e);
            }
        }, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    public SessionManager sessions() {
        return sessions;
    }

    public PerformanceTracker performance() {
        return performance;
    }

    public ErrorTracker errors() {
        return errors;
    }

    public SalesRecorder sales() {
        return sales;
    }

    /** The journaled queue behind every tracker: pending counts, statistics, explicit flushes. */
    public EventBuffer buffer() {
        return buffer;
    }

    /** The SDK's own troubles and corrections so far (journal failures, ignored calls, clock offset...). */
    public Health health() {
        return buffer.health();
    }

    /**
     * Shuts the SDK down: ends every open session at its last activity ({@code abandoned}, or {@code timeout} when
     * idle for the idle timeout already; exit reason {@code app closed}), sends what it can until the close
     * timeout (default 3 s; it stops at the first failed send rather than wait out a backoff), then commits the
     * journal and releases its directory. What is unsent stays journaled for the next start. Never throws; a
     * second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        idleCheck.cancel(false);
        sessions.endAllAtLastActivity("app closed");
        buffer.drainBeforeClose(closeTimeout);
        buffer.close();
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    /** Tests: the process dies now. Open sessions stay open; nothing more is written to the journal. */
    void crash() {
        closed = true;
        idleCheck.cancel(false);
        buffer.crash();
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    public static final class Builder {
        private URI endpoint;
        private Supplier<String> deviceToken;
        private Path journalDirectory;
        private Transport transport;
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;
        private RandomGenerator random = new Random();
        private DeliveryListener listener = new DeliveryListener() {
        };
        private ScheduledExecutorService scheduler;
        private EventBuffer.Settings settings = EventBuffer.Settings.defaults();
        private Duration idleTimeout = Duration.ofMinutes(3);
        private Duration closeTimeout = Duration.ofSeconds(3);
        private FunnelMap funnelMap = FunnelMap.none();
        private boolean deviceContext = true;
        private String deviceId;
        private List<Experiment> experiments = List.of();

        private Builder() {
        }

        /** The kiosk's {@code deviceId} as registered: the unit of per-device experiments. */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /**
         * The A/B experiments this kiosk takes part in: every session started carries its variant of each in
         * {@code experiments} (see {@link Variants} for the assignment, the same in the TypeScript SDK).
         */
        public Builder experiments(Experiment... experiments) {
            Set<String> names = new HashSet<>();
            for (Experiment e : experiments) {
                if (!names.add(e.name())) {
                    throw new IllegalArgumentException("experiment " + e.name() + " given twice");
                }
            }
            this.experiments = List.of(experiments);
            return this;
        }

        /** The API's base URL (the stack output {@code ApiUrl}, or {@code http://127.0.0.1:8080} locally). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** This kiosk's device token from {@code POST /api/devices}, fixed for the life of the SDK. */
        public Builder deviceToken(String token) {
            Objects.requireNonNull(token, "token");
            this.deviceToken = () -> token;
            return this;
        }

        /**
         * Where each request gets the device token: asked before every request, so a rotated token
         * ({@code POST /api/devices/{id}/token}) is used without a restart. Records answered 401 are kept and
         * sent again with the next token. A supplier that throws or gives null counts as no answer (retried).
         */
        public Builder deviceToken(Supplier<String> supplier) {
            this.deviceToken = supplier;
            return this;
        }

        /** A directory of the kiosk's own, on persistent storage; one SDK instance per directory (a file lock holds it). */
        public Builder journalDirectory(Path dir) {
            this.journalDirectory = dir;
            return this;
        }

        /** Replaces the HTTP client (tests, or an app with its own networking). */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * The kiosk's wall clock, read once at start: record times then advance with the {@link #ticker} and are
         * corrected by the server's clock (from its {@code Date} header).
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The monotonic clock for durations, in nanoseconds ({@link System#nanoTime()} by default; tests move their own). */
        public Builder ticker(LongSupplier nanos) {
            this.ticker = nanos;
            return this;
        }

        /** The jitter's source (seed it in tests). */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder listener(DeliveryListener listener) {
            this.listener = listener;
            return this;
        }

        /** Shares a scheduler between SDK instances (many kiosks in one process); by default each has one thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder settings(EventBuffer.Settings settings) {
            this.settings = settings;
            return this;
        }

        /** A session with no activity this long is ended as {@code timeout} (default 3 minutes). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** How long {@link KioskTelemetry#close()} may spend sending before it leaves the rest in the journal (default 3 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** Which screen belongs to which funnel stage (see {@link FunnelMap}); none by default. */
        public Builder funnelMap(FunnelMap map) {
            this.funnelMap = map;
            return this;
        }

        /** Whether timings carry memory and CPU figures in {@code context} by default (on by default). */
        public Builder deviceContext(boolean collect) {
            this.deviceContext = collect;
            return this;
        }

        public KioskTelemetry build() {
            return new KioskTelemetry(this);
        }
    }
}
