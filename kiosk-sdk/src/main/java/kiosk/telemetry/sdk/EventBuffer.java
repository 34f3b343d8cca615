package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * Everything the kiosk means to send, kept in a local {@link Journal} until the server has answered for it.
 *
 * <p>Sending: every {@code flushInterval} (5 s), and at once when {@code flushAtEvents} (50) events wait, one
 * flush sends session starts and updates in the order they were made, then events and timings in batches (up to
 * 500 items and 900 KB a request, so a backlog after an outage drains in few requests), then errors and sales.
 * A record leaves the journal only when the server answered for it: stored, already stored (a duplicate), or
 * refused for a reason a retry cannot fix (a 4xx for that item, reported to the {@link DeliveryListener}).
 * No answer, 401, 408, 429 and 5xx keep it, and the next flush waits with exponential backoff and jitter (at
 * least the server's {@code Retry-After}). A 503 that lists {@code retry} indexes keeps exactly those items.
 *
 * <p>Cap: records older than the server accepts (30 days) are dropped as expired. When the journal's pending
 * records pass {@code maxJournalBytes} (offline for days), the oldest events are dropped first, then the oldest
 * timings; sessions, errors and sales are dropped (oldest first) only when nothing else is left. Every drop is
 * counted in {@link #stats()} and reported to the listener.
 *
 * <p>A session update carries the session's whole state with a higher {@code seq}, so a queued update that a
 * newer one overtakes before it was sent is replaced rather than sent.
 */
public final class EventBuffer implements AutoCloseable {

    /** The buffer's knobs; {@link #defaults()} are the contract's and the kiosk team's numbers. */
    public record Settings(int flushAtEvents, Duration flushInterval, int maxBatchItems, int maxBatchBytes,
                           long maxJournalBytes, Duration maxRecordAge, Duration initialBackoff, Duration maxBackoff,
                           Durability durability) {

        public static Settings defaults() {
            return new Settings(50, Duration.ofSeconds(5), 500, 900_000, 64L << 20, Duration.ofDays(30),
                    Duration.ofSeconds(1), Duration.ofMinutes(5), Durability.SYNC);
        }

        public Settings withFlushInterval(Duration d) {
            return new Settings(flushAtEvents, d, maxBatchItems, maxBatchBytes, maxJournalBytes, maxRecordAge, initialBackoff, maxBackoff, durability);
        }

        public Settings withMaxJournalBytes(long bytes) {
            return new Settings(flushAtEvents, flushInterval, maxBatchItems, maxBatchBytes, bytes, maxRecordAge, initialBackoff, maxBackoff, durability);
        }

        public Settings withBackoff(Duration initial, Duration max) {
            return new Settings(flushAtEvents, flushInterval, maxBatchItems, maxBatchBytes, maxJournalBytes, maxRecordAge, initial, max, durability);
        }

        public Settings withDurability(Durability d) {
            return new Settings(flushAtEvents, flushInterval, maxBatchItems, maxBatchBytes, maxJournalBytes, maxRecordAge, initialBackoff, maxBackoff, d);
        }

        void check() {
            if (flushAtEvents < 1 || maxBatchItems < 1 || maxBatchItems > 500) {
                throw new IllegalArgumentException("flushAtEvents ≥ 1 and maxBatchItems in 1..500 (the contract's batch limit)");
            }
            if (maxBatchBytes > 1_000_000 || maxJournalBytes < (1 << 20)) {
                throw new IllegalArgumentException("maxBatchBytes ≤ 1,000,000 (the 1 MiB body limit) and maxJournalBytes ≥ 1 MiB");
            }
        }
    }

    /** Send order within one flush. */
    private enum Lane {
        SESSIONS, EVENTS, METRICS, ERRORS, SALES;

        static Lane of(Delivery.Kind kind) {
            return switch (kind) {
                case SESSION_START, SESSION_UPDATE -> SESSIONS;
                case EVENT -> EVENTS;
                case METRIC -> METRICS;
                case ERROR -> ERRORS;
                case SALE -> SALES;
            };
        }
    }

    /** Dropping order when over the cap. */
    private static final List<Lane> EVICTION_ORDER = List.of(Lane.EVENTS, Lane.METRICS);

    private final Settings settings;
    private final String deviceToken;
    private final Transport transport;
    private final Clock clock;
    private final ObjectMapper json;
    private final DeliveryListener listener;
    private final Journal journal;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Object lock = new Object();
    private final AtomicBoolean flushing = new AtomicBoolean();

    // guarded by lock
    private final Map<Lane, TreeMap<Long, Delivery>> lanes = new EnumMap<>(Lane.class);
    private final Map<Delivery.Kind, DeliveryStats.Counters> counters = DeliveryStats.newCounters();
    private final Map<String, Long> queuedUpdateBySession = new HashMap<>();
    private long nextId;
    private long pendingBytes;
    private Instant nextAttemptAt = Instant.EPOCH;
    private boolean closed;
    private final int unreadableLines;

    private final ScheduledFuture<?> ticker;

    EventBuffer(Settings settings, Path journalDirectory, String deviceToken, Transport transport, Clock clock,
                RandomGenerator random, ObjectMapper json, DeliveryListener listener, ScheduledExecutorService scheduler) {
        settings.check();
        this.settings = settings;
        this.deviceToken = deviceToken;
        this.transport = transport;
        this.clock = clock;
        this.json = json;
        this.listener = listener;
        this.scheduler = scheduler;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new TreeMap<>());
        }
        Journal.Opened opened = Journal.open(journalDirectory, settings.durability(), json);
        this.journal = opened.journal();
        this.unreadableLines = opened.unreadableLines();
        for (Delivery d : opened.pending()) {
            lanes.get(Lane.of(d.kind())).put(d.id(), d);
            pendingBytes += d.weight();
            counters.get(d.kind()).replayed++;
            if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                queuedUpdateBySession.put(d.key(), d.id());
            }
            nextId = Math.max(nextId, d.id() + 1);
        }
        long periodMs = settings.flushInterval().toMillis();
        this.ticker = scheduler.scheduleWithFixedDelay(this::flushIfDue, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- queueing

    /** Queues one record; it is in the journal when this returns. */
    Delivery add(Delivery.Kind kind, String key, Instant recordedAt, ObjectNode body) {
        Delivery d;
        boolean flushNow;
        List<Delivery> evicted;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the telemetry buffer is closed");
            }
            d = Delivery.of(nextId++, kind, key, recordedAt, body);
            List<Long> done = new ArrayList<>();
            if (kind == Delivery.Kind.SESSION_UPDATE) {
                Long older = queuedUpdateBySession.put(key, d.id());
                if (older != null && remove(older, Lane.SESSIONS) != null) {
                    counters.get(kind).replaced++;
                    done.add(older);
                }
            }
            journal.appended(List.of(d));
            lanes.get(Lane.of(kind)).put(d.id(), d);
            pendingBytes += d.weight();
            counters.get(kind).queued++;
            evicted = evictOverCap();
            evicted.forEach(e -> done.add(e.id()));
            journal.done(done);
            flushNow = kind == Delivery.Kind.EVENT && lanes.get(Lane.EVENTS).size() >= settings.flushAtEvents()
                    && !clock.instant().isBefore(nextAttemptAt);
        }
        evicted.forEach(e -> listener.onDropped(e, DeliveryListener.Drop.EVICTED, "journal over its cap of "
                + settings.maxJournalBytes() + " bytes"));
        if (flushNow) {
            flushSoon();
        }
        return d;
    }

    private List<Delivery> evictOverCap() {
        List<Delivery> evicted = new ArrayList<>();
        while (pendingBytes > settings.maxJournalBytes()) {
            Delivery victim = null;
            for (Lane lane : EVICTION_ORDER) {
                var first = lanes.get(lane).firstEntry();
                if (first != null) {
                    victim = first.getValue();
                    break;
                }
            }
            if (victim == null) {
                victim = oldestOfAll();
            }
            if (victim == null) {
                break;
            }
            remove(victim.id(), Lane.of(victim.kind()));
            counters.get(victim.kind()).evicted++;
            evicted.add(victim);
        }
        return evicted;
    }

    private Delivery oldestOfAll() {
        Delivery oldest = null;
        for (TreeMap<Long, Delivery> lane : lanes.values()) {
            var first = lane.firstEntry();
            if (first != null && (oldest == null || first.getKey() < oldest.id())) {
                oldest = first.getValue();
            }
        }
        return oldest;
    }

    private Delivery remove(long id, Lane lane) {
        Delivery d = lanes.get(lane).remove(id);
        if (d != null) {
            pendingBytes -= d.weight();
            if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                queuedUpdateBySession.remove(d.key(), d.id());
            }
        }
        return d;
    }

    // ---------------------------------------------------------------- sending

    private void flushIfDue() {
        try {
            synchronized (lock) {
                if (closed || pendingCount() == 0 || clock.instant().isBefore(nextAttemptAt)) {
                    return;
                }
            }
            flush();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; the next tick tries anew
            listener.onNoResponse(Delivery.Kind.EVENT, e);
        }
    }

    /** Asks for a flush on the SDK's thread now, rather than at the next tick (still after any backoff). */
    public void flushSoon() {
        if (!flushing.get()) {
            scheduler.execute(this::flushIfDue);
        }
    }

    /**
     * Sends what is pending now, whatever the backoff says. Returns true when the flush ran through without a
     * retryable failure (records may still be pending if more were queued meanwhile).
     */
    public boolean flush() {
        if (!flushing.compareAndSet(false, true)) {
            return false;
        }
        try {
            expire();
            for (Lane lane : Lane.values()) {
                Failure failure = lane == Lane.EVENTS || lane == Lane.METRICS ? sendBatches(lane) : sendOneByOne(lane);
                if (failure != null) {
                    Duration wait = backoff.next(failure.retryAfter());
                    synchronized (lock) {
                        nextAttemptAt = clock.instant().plus(wait);
                    }
                    return false;
                }
            }
            backoff.reset();
            return true;
        } finally {
            flushing.set(false);
        }
    }

    /**
     * Flushes until nothing is pending or the time is up, waiting out backoff between attempts. Returns true when
     * the journal is empty. For shutdown and tests; an app normally leaves sending to the timer.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Instant due;
            synchronized (lock) {
                if (pendingCount() == 0) {
                    return true;
                }
                due = nextAttemptAt;
            }
            long waitMs = Duration.between(clock.instant(), due).toMillis();
            if (waitMs > 0) {
                Thread.sleep(Math.min(waitMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                continue;
            }
            if (!flush() && flushing.get()) {
                Thread.sleep(10);
            }
        }
        synchronized (lock) {
            return pendingCount() == 0;
        }
    }

    private record Failure(Duration retryAfter) {
    }

    private void expire() {
        Instant oldest = clock.instant().minus(settings.maxRecordAge());
        List<Delivery> expired = new ArrayList<>();
        synchronized (lock) {
            // a lane is in the order its records were made, so the expired ones are at its head
            for (Lane lane : Lane.values()) {
                var head = lanes.get(lane).firstEntry();
                while (head != null && head.getValue().recordedAt().isBefore(oldest)) {
                    Delivery d = head.getValue();
                    remove(d.id(), lane);
                    counters.get(d.kind()).expired++;
                    expired.add(d);
                    head = lanes.get(lane).firstEntry();
                }
            }
            journal.done(expired.stream().map(Delivery::id).toList());
        }
        expired.forEach(d -> listener.onDropped(d, DeliveryListener.Drop.EXPIRED, "older than " + settings.maxRecordAge()));
    }

    private List<Delivery> nextAfter(Lane lane, long afterId, int maxItems, int maxBytes) {
        synchronized (lock) {
            List<Delivery> out = new ArrayList<>();
            int bytes = 0;
            for (Delivery d : lanes.get(lane).tailMap(afterId, false).values()) {
                if (!out.isEmpty() && (out.size() >= maxItems || bytes + d.weight() > maxBytes)) {
                    break;
                }
                out.add(d);
                bytes += d.weight() + 1;
            }
            return out;
        }
    }

    private Failure sendOneByOne(Lane lane) {
        long after = -1;
        while (true) {
            List<Delivery> next = nextAfter(lane, after, 1, Integer.MAX_VALUE);
            if (next.isEmpty()) {
                return null;
            }
            Delivery d = next.get(0);
            after = d.id();
            Failure failure = sendSingle(d);
            if (failure != null) {
                return failure;
            }
        }
    }

    private Failure sendSingle(Delivery d) {
        String method = d.kind() == Delivery.Kind.SESSION_UPDATE ? "PATCH" : "POST";
        String path = switch (d.kind()) {
            case SESSION_START -> "/api/sessions";
            case SESSION_UPDATE -> "/api/sessions/" + d.key();
            case ERROR -> "/api/errors";
            case SALE -> "/api/sales";
            default -> throw new IllegalStateException(d.kind() + " is sent in batches");
        };
        Transport.Reply reply = call(d.kind(), method, path, d.body());
        if (reply == null) {
            return new Failure(Duration.ZERO);
        }
        int status = reply.status();
        JsonNode body = parse(reply.body());
        if (status == 200 || status == 201) {
            synchronized (lock) {
                if (remove(d.id(), Lane.of(d.kind())) != null) {
                    var c = counters.get(d.kind());
                    if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                        if (body.path("applied").asBoolean(true)) {
                            c.accepted++;
                        } else {
                            c.notApplied++;
                        }
                    } else if (body.path("created").asBoolean(status == 201)) {
                        c.accepted++;
                    } else {
                        c.duplicates++;
                    }
                    journal.done(List.of(d.id()));
                }
                compact();
            }
            return null;
        }
        if (retryable(status)) {
            return new Failure(reply.retryAfter().orElse(Duration.ZERO));
        }
        reject(List.of(d), status + " " + body.path("detail").asText(""));
        return null;
    }

    private Failure sendBatches(Lane lane) {
        long after = -1;
        while (true) {
            List<Delivery> batch = nextAfter(lane, after, settings.maxBatchItems(), settings.maxBatchBytes());
            if (batch.isEmpty()) {
                return null;
            }
            after = batch.get(batch.size() - 1).id();
            Failure failure = sendBatch(batch);
            if (failure != null) {
                return failure;
            }
        }
    }

    private Failure sendBatch(List<Delivery> batch) {
        Delivery.Kind kind = batch.get(0).kind();
        String listName = kind == Delivery.Kind.EVENT ? "events" : "metrics";
        ObjectNode request = json.createObjectNode();
        ArrayNode items = request.putArray(listName);
        batch.forEach(d -> items.add(d.body()));
        Transport.Reply reply = call(kind, "POST", kind == Delivery.Kind.EVENT ? "/api/events/batch" : "/api/performance/batch", request);
        if (reply == null) {
            return new Failure(Duration.ZERO);
        }
        int status = reply.status();
        JsonNode body = parse(reply.body());
        if (status == 413 && batch.size() > 1) {
            Failure first = sendBatch(batch.subList(0, batch.size() / 2));
            return first != null ? first : sendBatch(batch.subList(batch.size() / 2, batch.size()));
        }
        boolean answeredPerItem = status == 200 || (status == 400 && body.has("rejected"))
                || (status == 503 && body.has("retry"));
        if (!answeredPerItem) {
            if (retryable(status)) {
                return new Failure(reply.retryAfter().orElse(Duration.ZERO));
            }
            reject(batch, status + " " + body.path("detail").asText(""));
            return null;
        }
        Map<Integer, String> rejected = new HashMap<>();
        for (JsonNode r : body.path("rejected")) {
            rejected.put(r.path("index").asInt(), r.path("errors").toString());
        }
        Set<Integer> retry = new HashSet<>();
        body.path("retry").forEach(i -> retry.add(i.asInt()));
        List<Delivery> done = new ArrayList<>();
        List<Delivery> refused = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (retry.contains(i)) {
                continue;
            }
            (rejected.containsKey(i) ? refused : done).add(batch.get(i));
        }
        synchronized (lock) {
            List<Long> ids = new ArrayList<>();
            for (Delivery d : done) {
                if (remove(d.id(), Lane.of(kind)) != null) {
                    ids.add(d.id());
                }
            }
            var c = counters.get(kind);
            c.accepted += body.path("accepted").asLong(0);
            c.duplicates += body.path("duplicates").asLong(0);
            journal.done(ids);
        }
        for (Delivery d : refused) {
            reject(List.of(d), rejected.get(indexOf(batch, d)));
        }
        synchronized (lock) {
            compact();
        }
        return retry.isEmpty() ? null : new Failure(reply.retryAfter().orElse(Duration.ZERO));
    }

    private static int indexOf(List<Delivery> batch, Delivery d) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).id() == d.id()) {
                return i;
            }
        }
        return -1;
    }

    private static boolean retryable(int status) {
        return status == 401 || status == 408 || status == 429 || status >= 500;
    }

    private void reject(List<Delivery> refused, String reason) {
        List<Delivery> dropped = new ArrayList<>();
        synchronized (lock) {
            for (Delivery d : refused) {
                if (remove(d.id(), Lane.of(d.kind())) != null) {
                    counters.get(d.kind()).rejected++;
                    dropped.add(d);
                }
            }
            journal.done(dropped.stream().map(Delivery::id).toList());
        }
        dropped.forEach(d -> listener.onDropped(d, DeliveryListener.Drop.REJECTED, reason));
    }

    private Transport.Reply call(Delivery.Kind kind, String method, String path, ObjectNode body) {
        long start = System.nanoTime();
        try {
            Transport.Reply reply = transport.send(method, path, deviceToken, body.toString().getBytes(StandardCharsets.UTF_8));
            listener.onResponse(kind, reply.status(), System.nanoTime() - start);
            return reply;
        } catch (IOException | RuntimeException e) {
            listener.onNoResponse(kind, e);
            return null;
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode n = body == null || body.length == 0 ? null : json.readTree(body);
            return n == null ? json.createObjectNode() : n;
        } catch (IOException notJson) {
            return json.createObjectNode();
        }
    }

    private void compact() {
        if (journal.worthCompacting(pendingBytes)) {
            List<Delivery> all = new ArrayList<>();
            lanes.values().forEach(l -> all.addAll(l.values()));
            all.sort((a, b) -> Long.compare(a.id(), b.id()));
            journal.compact(all);
        }
    }

    // ---------------------------------------------------------------- reading

    private int pendingCount() {
        int n = 0;
        for (TreeMap<Long, Delivery> lane : lanes.values()) {
            n += lane.size();
        }
        return n;
    }

    /** Records waiting to be sent. */
    public int pending() {
        synchronized (lock) {
            return pendingCount();
        }
    }

    /** When the next automatic attempt may run (after a failure: the end of its backoff). */
    public Instant nextAttemptAt() {
        synchronized (lock) {
            return nextAttemptAt;
        }
    }

    /** Journal lines that could not be read on opening (not the cut-off last line of a power failure). */
    public int unreadableJournalLines() {
        return unreadableLines;
    }

    public DeliveryStats stats() {
        synchronized (lock) {
            Map<Delivery.Kind, Integer> pending = new EnumMap<>(Delivery.Kind.class);
            lanes.values().forEach(l -> l.values().forEach(d -> pending.merge(d.kind(), 1, Integer::sum)));
            return DeliveryStats.of(counters, pending);
        }
    }

    /** Stops the timer and closes the journal; what is pending stays there for the next start. */
    @Override
    public void close() {
        ticker.cancel(false);
        synchronized (lock) {
            if (!closed) {
                closed = true;
                journal.close();
            }
        }
    }
}
