package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The SDK's entry point: one per kiosk app, built once at start-up, closed at shutdown.
 * <pre>{@code
 * KioskTelemetry telemetry = KioskTelemetry.builder()
 *         .endpoint(URI.create("https://telemetry.example.com"))
 *         .deviceToken(tokenFromProvisioning)
 *         .journalDirectory(Path.of("/var/lib/kiosk/telemetry"))
 *         .build();
 * Session s = telemetry.sessions().start("3.2.0", Map.of("frameLayout", "B"));
 * s.enter(FunnelStage.START);
 * s.track("tap", "start", Map.of("x", 512, "y", 300));
 * }</pre>
 * Opening replays the journal, so whatever a previous run (or a power cut) left unsent goes out first.
 */
public final class KioskTelemetry implements AutoCloseable {

    private final EventBuffer buffer;
    private final SessionManager sessions;
    private final PerformanceTracker performance;
    private final ErrorTracker errors;
    private final SalesRecorder sales;
    private final ScheduledFuture<?> idleCheck;
    private final ScheduledExecutorService ownScheduler;

    private KioskTelemetry(Builder b) {
        ObjectMapper json = new ObjectMapper();
        Transport transport = b.transport != null ? b.transport
                : new HttpTransport(Objects.requireNonNull(b.endpoint, "endpoint"), Duration.ofSeconds(5), Duration.ofSeconds(15));
        this.ownScheduler = b.scheduler == null ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiosk-telemetry");
            t.setDaemon(true);
            return t;
        }) : null;
        ScheduledExecutorService scheduler = b.scheduler != null ? b.scheduler : ownScheduler;
        this.buffer = new EventBuffer(b.settings, Objects.requireNonNull(b.journalDirectory, "journalDirectory"),
                Objects.requireNonNull(b.deviceToken, "deviceToken"), transport, b.clock, b.random, json, b.listener, scheduler);
        this.sessions = new SessionManager(buffer, b.clock, json, b.idleTimeout);
        this.performance = new PerformanceTracker(buffer, b.clock, json);
        this.errors = new ErrorTracker(buffer, b.clock, json);
        this.sales = new SalesRecorder(buffer, b.clock, json);
        long checkMs = Math.max(1000, b.idleTimeout.toMillis() / 10);
        this.idleCheck = scheduler.scheduleWithFixedDelay(() -> {
            try {
                sessions.endIdle();
            } catch (RuntimeException e) {
                b.listener.onNoResponse(Delivery.Kind.SESSION_UPDATE, e);
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

    /** Stops the timers and closes the journal. Open sessions stay open; what is unsent stays journaled. */
    @Override
    public void close() {
        idleCheck.cancel(false);
        buffer.close();
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    public static final class Builder {
        private URI endpoint;
        private String deviceToken;
        private Path journalDirectory;
        private Transport transport;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new Random();
        private DeliveryListener listener = new DeliveryListener() {
        };
        private ScheduledExecutorService scheduler;
        private EventBuffer.Settings settings = EventBuffer.Settings.defaults();
        private Duration idleTimeout = Duration.ofMinutes(3);

        private Builder() {
        }

        /** The API's base URL (the stack output {@code ApiUrl}, or {@code http://127.0.0.1:8080} locally). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** This kiosk's device token from {@code POST /api/devices}. */
        public Builder deviceToken(String token) {
            this.deviceToken = token;
            return this;
        }

        /** A directory of the kiosk's own, on persistent storage; one SDK instance per directory. */
        public Builder journalDirectory(Path dir) {
            this.journalDirectory = dir;
            return this;
        }

        /** Replaces the HTTP client (tests, or an app with its own networking). */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
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

        public KioskTelemetry build() {
            return new KioskTelemetry(this);
        }
    }
}
