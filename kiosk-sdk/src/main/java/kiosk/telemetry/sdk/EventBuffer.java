package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
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
 *
 * <p>Queueing never blocks on I/O, takes no lock and never throws: a record goes into a lock-free inbox that the
 * SDK's threads move into the send lanes (replacing overtaken session updates, evicting over the cap), and a committer
 * thread writes every change queued since its last write (records, done lines, open sessions' states) to the
 * journal in one write and one fsync (group commit; {@link #awaitDurable} waits for it). A failed write is
 * retried and reported ({@link DeliveryListener#onJournalFailure}); sending goes on from memory.
 *
 * <p>Times: records carry the server-clock correction they were stamped with; one sent after the estimate moved
 * by a second or more is shifted on the way out, and one refused only for its timestamps is shifted and sent
 * again once (see {@code TimeSource}).
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

    /** Fields holding a record's own times: these are shifted when a record's clock is corrected. */
    private static final Set<String> TIME_FIELDS = Set.of("timestamp", "startedAt", "endedAt", "soldAt", "enteredAt", "exitedAt");
    /** The app's own objects: never touched by a clock correction. */
    private static final Set<String> APP_OBJECTS = Set.of("properties", "data", "deviceState", "context", "experiments",
            "breakdown", "behavior", "amounts", "settlement");
    /** A record whose stamp differs from the current estimate by less than this is left as it is. */
    private static final long CORRECT_FROM_MS = 1000;

    /** A record queued, with its body already serialized once (for its weight and its journal line). */
    private record Append(Delivery delivery, String bodyText) {
    }

    /** Records finished with. */
    private record Done(List<Long> ids) {
    }

    /** A session was ended. */
    private record SessionEnded(String sessionId) {
    }

    /** A session's state changed without a record. */
    private record Touched() {
    }

    /** One item from the app's threads: its push order, the session to persist with it, and when it came. */
    private record Pushed(Object op, long seq, Session owner, long atNanos) {
    }

    private final Settings settings;
    private final Supplier<String> deviceToken;
    private final Transport transport;
    private final TimeSource time;
    private final ObjectMapper json;
    private final DeliveryListener listener;
    private final Journal journal;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Health.Counters health;
    private final Object lock = new Object();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean flushRequested = new AtomicBoolean();

    // guarded by lock
    private final Map<Lane, TreeMap<Long, Delivery>> lanes = new EnumMap<>(Lane.class);
    private final Map<Delivery.Kind, DeliveryStats.Counters> counters = DeliveryStats.newCounters();
    private final Map<String, Long> queuedUpdateBySession = new HashMap<>();
    private List<Object> journalOps = new ArrayList<>();
    private Set<Session> dirtySessions = new HashSet<>();
    private long oldestUncommittedNanos = -1;
    private long pendingBytes;
    private volatile long nextAttemptNanos;
    private volatile boolean closed;
    /** Every pushed item with a sequence number up to this one has been drained into the lanes. */
    private long drainedUpTo;
    private final PriorityQueue<Long> drainedAhead = new PriorityQueue<>();
    private final List<Delivery> evictedToReport = new ArrayList<>();
    /** Held while evictions are told to the listener (taken before {@link #lock}, never inside it): told in the order made. */
    private final Object reporting = new Object();

    // lock-free: what the app's threads hand over (drained into the lanes under the lock by the SDK's threads)
    private final ConcurrentLinkedQueue<Pushed> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong pushSeq = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final int unreadableLines;

    // the committer's own (one thread at a time: the committer, or close() after it stopped)
    private final Map<String, String> sessionLines = new LinkedHashMap<>();
    private String unwritten = "";
    private final Thread committer;
    private final AtomicBoolean wake = new AtomicBoolean();
    private volatile boolean committerRunning = true;
    private final Object durableMonitor = new Object();
    private final Object commitLock = new Object();
    private long durableSeq; // guarded by durableMonitor

    private final ScheduledFuture<?> ticker;

    EventBuffer(Settings settings, Journal.Opened opened, Supplier<String> deviceToken, Transport transport,
                TimeSource time, RandomGenerator random, ObjectMapper json, DeliveryListener listener,
                ScheduledExecutorService scheduler, Health.Counters health) {
        settings.check();
        this.settings = settings;
        this.deviceToken = deviceToken;
        this.transport = transport;
        this.time = time;
        this.json = json;
        this.listener = listener;
        this.scheduler = scheduler;
        this.health = health;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
        this.nextAttemptNanos = time.nanos();
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new TreeMap<>());
        }
        this.journal = opened.journal();
        this.unreadableLines = opened.unreadableLines();
        for (Delivery d : opened.pending()) {
            lanes.get(Lane.of(d.kind())).put(d.id(), d);
            pendingBytes += d.weight();
            counters.get(d.kind()).replayed++;
            if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                queuedUpdateBySession.put(d.key(), d.id());
            }
            nextId.set(Math.max(nextId.get(), d.id() + 1));
            if (d.kind() == Delivery.Kind.EVENT) {
                pendingEvents.incrementAndGet();
            }
        }
        opened.openSessions().forEach((id, state) -> sessionLines.put(id, Journal.sessionLine(state)));
        this.committer = new Thread(this::commitLoop, "kiosk-telemetry-journal");
        committer.setDaemon(true);
        committer.start();
        long periodMs = settings.flushInterval().toMillis();
        this.ticker = scheduler.scheduleWithFixedDelay(this::flushIfDue, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- queueing

    /**
     * Queues one record and returns at once (the journal write happens on the committer thread, see
     * {@link #awaitDurable}). Never throws: after {@link #close()} the record is ignored (and reported).
     *
     * @param clockOffsetMs the server-clock correction applied to the record's timestamps
     * @param owner         the open session whose state changed with it (persisted by the committer), or null
     */
    Delivery add(Delivery.Kind kind, String key, Instant recordedAt, ObjectNode body, long clockOffsetMs, Session owner) {
        if (closed) {
            ignored("record", "the SDK is closed: " + kind + " " + key + " not queued");
            return null;
        }
        String text = body.toString();
        Delivery d = new Delivery(nextId.getAndIncrement(), kind, key, recordedAt, body, text.length(), clockOffsetMs, false);
        push(new Append(d, text), owner);
        if (kind == Delivery.Kind.EVENT && pendingEvents.incrementAndGet() >= settings.flushAtEvents()
                && time.nanos() - nextAttemptNanos >= 0) {
            flushSoon();
        }
        return d;
    }

    /** Marks a session's state as changed without a record (the committer persists it). */
    void touched(Session owner) {
        if (!closed) {
            push(new Touched(), owner);
        }
    }

    /** The session ended (its final PATCH is queued): it is no longer recovered at the next start. */
    void sessionEnded(String sessionId) {
        if (!closed) {
            push(new SessionEnded(sessionId), null);
        }
    }

    private void push(Object op, Session owner) {
        inbox.offer(new Pushed(op, pushSeq.incrementAndGet(), owner, time.nanos()));
        wakeCommitter();
    }

    /**
     * Moves what the app's threads pushed into the lanes and the journal's queue, in push order: replacing
     * overtaken session updates, and evicting over the cap (reported by {@link #reportEvictions()} once the lock
     * is released). Under the lock.
     */
    private void drainInbox() {
        Pushed p;
        while ((p = inbox.poll()) != null) {
            markDrained(p.seq());
            if (oldestUncommittedNanos < 0 || p.atNanos() - oldestUncommittedNanos < 0) {
                oldestUncommittedNanos = p.atNanos();
            }
            if (p.owner() != null) {
                dirtySessions.add(p.owner());
            }
            if (p.op() instanceof Append a) {
                Delivery d = a.delivery();
                if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                    Long older = queuedUpdateBySession.put(d.key(), d.id());
                    if (older != null && remove(older, Lane.SESSIONS) != null) {
                        counters.get(d.kind()).replaced++;
                        journalOps.add(new Done(List.of(older)));
                    }
                }
                journalOps.add(a);
                lanes.get(Lane.of(d.kind())).put(d.id(), d);
                pendingBytes += d.weight();
                counters.get(d.kind()).queued++;
                List<Delivery> evicted = evictOverCap();
                if (!evicted.isEmpty()) {
                    journalOps.add(new Done(evicted.stream().map(Delivery::id).toList()));
                    evictedToReport.addAll(evicted);
                }
            } else if (p.op() instanceof SessionEnded e) {
                journalOps.add(e);
            }
        }
    }

    private void markDrained(long seq) {
        if (seq == drainedUpTo + 1) {
            drainedUpTo = seq;
            while (!drainedAhead.isEmpty() && drainedAhead.peek() == drainedUpTo + 1) {
                drainedUpTo = drainedAhead.poll();
            }
        } else {
            drainedAhead.add(seq);
        }
    }

    /**
     * Tells the listener of evictions made while draining, oldest first; call without the lock. Reports are taken and
     * told under their own lock, so two threads that drain at once cannot tell them out of order.
     */
    private void reportEvictions() {
        synchronized (reporting) {
            List<Delivery> evicted;
            synchronized (lock) {
                if (evictedToReport.isEmpty()) {
                    return;
                }
                evicted = new ArrayList<>(evictedToReport);
                evictedToReport.clear();
            }
            evicted.forEach(e -> listener.onDropped(e, DeliveryListener.Drop.EVICTED, "journal over its cap of "
                    + settings.maxJournalBytes() + " bytes"));
        }
    }

    void ignored(String call, String reason) {
        health.ignoredCalls.incrementAndGet();
        listener.onIgnored(call, reason);
    }

    private void enqueue(Object op) {
        journalOps.add(op);
        if (oldestUncommittedNanos < 0) {
            oldestUncommittedNanos = time.nanos();
        }
    }

    private void wakeCommitter() {
        if (!wake.get() && !wake.getAndSet(true)) {
            LockSupport.unpark(committer);
        }
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
            if (d.kind() == Delivery.Kind.EVENT) {
                pendingEvents.decrementAndGet();
            }
            if (d.kind() == Delivery.Kind.SESSION_UPDATE) {
                queuedUpdateBySession.remove(d.key(), d.id());
            }
        }
        return d;
    }

    /** Records finished with (under the lock): their {@code D} line goes to the journal. */
    private void done(List<Long> ids) {
        if (!ids.isEmpty()) {
            enqueue(new Done(ids));
        }
    }

    // ---------------------------------------------------------------- group commit

    private void commitLoop() {
        while (committerRunning) {
            if (!wake.get() && unwritten.isEmpty()) {
                LockSupport.parkNanos(this, 1_000_000_000L);
                continue;
            }
            wake.set(false);
            commitOnce();
            if (!unwritten.isEmpty()) {
                // the disk refused: try again in a second, not in a busy loop
                LockSupport.parkNanos(this, 1_000_000_000L);
            }
        }
    }

    /**
     * One group commit: every journal change queued since the last one, and the newest state of every session
     * that changed, in one write and (in {@code SYNC}) one fsync.
     */
    private void commitOnce() {
        // close() commits after the committer stopped; if the committer is still stuck in a slow write, wait for it
        synchronized (commitLock) {
            commitOnceLocked();
        }
    }

    private void commitOnceLocked() {
        List<Object> ops;
        Set<Session> dirty;
        long seq;
        long since;
        List<Delivery> snapshot = null;
        synchronized (lock) {
            drainInbox();
            ops = journalOps;
            journalOps = new ArrayList<>();
            dirty = dirtySessions;
            dirtySessions = new HashSet<>();
            seq = drainedUpTo;
            since = oldestUncommittedNanos;
            oldestUncommittedNanos = -1;
            if (journal.worthCompacting(pendingBytes)) {
                snapshot = new ArrayList<>(pendingCount());
                for (TreeMap<Long, Delivery> lane : lanes.values()) {
                    snapshot.addAll(lane.values());
                }
            }
        }
        StringBuilder text = new StringBuilder(unwritten);
        for (Session s : dirty) {
            ObjectNode state = s.persistentState();
            if (state != null) {
                String line = Journal.sessionLine(state);
                sessionLines.put(s.id(), line);
                text.append(line);
            }
        }
        for (Object op : ops) {
            if (op instanceof Append a) {
                text.append(appendLine(a));
            } else if (op instanceof Done done) {
                text.append(Journal.doneLine(done.ids()));
            } else if (op instanceof SessionEnded e) {
                sessionLines.remove(e.sessionId());
                text.append(Journal.endedLine(e.sessionId()));
            }
        }
        try {
            if (snapshot != null) {
                snapshot.sort((a, b) -> Long.compare(a.id(), b.id()));
                journal.compact(snapshot, sessionLines.values());
            } else {
                journal.append(text.toString());
            }
            unwritten = "";
            health.journalCommits.incrementAndGet();
            if (since >= 0) {
                long waited = time.nanos() - since;
                health.maxCommitNanos.accumulateAndGet(waited, Math::max);
            }
            synchronized (durableMonitor) {
                durableSeq = Math.max(durableSeq, seq);
                durableMonitor.notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            // keep the text (it holds every change since the last good write) and try again later
            unwritten = text.toString();
            health.journalWriteFailures.incrementAndGet();
            listener.onJournalFailure(e);
        }
    }

    private String appendLine(Append a) {
        Delivery d = a.delivery();
        StringBuilder sb = new StringBuilder(a.bodyText().length() + 120);
        sb.append("A {\"id\":").append(d.id()).append(",\"kind\":\"").append(d.kind().name()).append("\",\"key\":")
                .append(TextNode.valueOf(d.key())).append(",\"at\":\"").append(d.recordedAt()).append("\",\"off\":")
                .append(d.clockOffsetMs());
        if (d.corrected()) {
            sb.append(",\"fix\":true");
        }
        return sb.append(",\"body\":").append(a.bodyText()).append("}\n").toString();
    }

    /**
     * Waits until everything queued before this call is in the journal (forced to the device in {@code SYNC}).
     * Returns false if the time ran out (for example: the disk refuses writes). The SDK never needs this call;
     * it is for an app that is about to cut its own power, and for tests.
     */
    public boolean awaitDurable(Duration timeout) throws InterruptedException {
        long target = pushSeq.get();
        wakeCommitter();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (durableMonitor) {
            while (durableSeq < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                durableMonitor.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Tests: the journal behaves as on a full disk while {@code full}. */
    void simulateFullDisk(boolean full) {
        journal.simulateFullDisk = full;
    }

    // ---------------------------------------------------------------- sending

    private void flushIfDue() {
        try {
            boolean due;
            synchronized (lock) {
                drainInbox();
                due = !closed && pendingCount() > 0 && time.nanos() - nextAttemptNanos >= 0;
            }
            reportEvictions();
            if (!due) {
                return;
            }
            flush();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; the next tick tries anew
            listener.onNoResponse(Delivery.Kind.EVENT, e);
        }
    }

    /** Asks for a flush on the SDK's thread now, rather than at the next tick (still after any backoff). */
    public void flushSoon() {
        // one request at a time: a busy app asks on every event, and the scheduler must not fill up with them
        if (!flushing.get() && !flushRequested.get() && !flushRequested.getAndSet(true)) {
            try {
                scheduler.execute(() -> {
                    flushRequested.set(false);
                    flushIfDue();
                });
            } catch (RejectedExecutionException shutDown) {
                flushRequested.set(false);
                // the scheduler is gone (closing): the journal keeps everything for the next start
            }
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
                        nextAttemptNanos = time.nanos() + wait.toNanos();
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
            long due;
            synchronized (lock) {
                drainInbox();
                if (pendingCount() == 0) {
                    return true;
                }
                due = nextAttemptNanos;
            }
            long waitMs = (due - time.nanos()) / 1_000_000;
            if (waitMs > 0) {
                Thread.sleep(Math.min(waitMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                continue;
            }
            if (!flush() && flushing.get()) {
                Thread.sleep(10);
            }
        }
        return pending() == 0;
    }

    /** For {@code close()}: sends while sends succeed, at most until the deadline; never waits out a backoff. */
    void drainBeforeClose(Duration deadline) {
        if (deadline.isZero() || deadline.isNegative() || pending() == 0) {
            return;
        }
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + deadline.toNanos();
            while (pending() > 0 && System.nanoTime() < end) {
                if (!flush()) {
                    return;
                }
            }
        }, "kiosk-telemetry-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(Math.max(1, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Duration retryAfter) {
    }

    /** The record's time as the server sees it now (its stamp, moved by any later change of the clock estimate). */
    private Instant serverTimeOf(Delivery d) {
        return time.estimated() ? d.recordedAt().plusMillis(time.offsetMs() - d.clockOffsetMs()) : d.recordedAt();
    }

    private void expire() {
        Instant oldest = time.now().minus(settings.maxRecordAge());
        List<Delivery> expired = new ArrayList<>();
        synchronized (lock) {
            drainInbox();
            // a lane is in the order its records were made, so the expired ones are at its head
            for (Lane lane : Lane.values()) {
                var head = lanes.get(lane).firstEntry();
                while (head != null && serverTimeOf(head.getValue()).isBefore(oldest)) {
                    Delivery d = head.getValue();
                    remove(d.id(), lane);
                    counters.get(d.kind()).expired++;
                    expired.add(d);
                    head = lanes.get(lane).firstEntry();
                }
            }
            done(expired.stream().map(Delivery::id).toList());
        }
        if (!expired.isEmpty()) {
            wakeCommitter();
        }
        reportEvictions();
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
        Transport.Reply reply = call(d.kind(), method, path, bodyToSend(d));
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
                    done(List.of(d.id()));
                }
            }
            wakeCommitter();
            return null;
        }
        if (retryable(status)) {
            return new Failure(reply.retryAfter().orElse(Duration.ZERO));
        }
        if (status == 400 && onlyTimestamps(body.path("errors"))) {
            Delivery fixed = correct(d);
            if (fixed != null) {
                // sent again at once, so that a session is created before its updates in this flush
                return sendSingle(fixed);
            }
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
        batch.forEach(d -> items.add(bodyToSend(d)));
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
        Map<Integer, JsonNode> rejected = new HashMap<>();
        for (JsonNode r : body.path("rejected")) {
            rejected.put(r.path("index").asInt(), r.path("errors"));
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
        // in slices, so that an app thread queueing meanwhile never waits for 500 removals at once
        for (int from = 0; from < done.size() || from == 0; from += 64) {
            List<Delivery> slice = done.subList(Math.min(from, done.size()), Math.min(from + 64, done.size()));
            synchronized (lock) {
                List<Long> ids = new ArrayList<>(slice.size());
                for (Delivery d : slice) {
                    if (remove(d.id(), Lane.of(kind)) != null) {
                        ids.add(d.id());
                    }
                }
                if (from == 0) {
                    var c = counters.get(kind);
                    c.accepted += body.path("accepted").asLong(0);
                    c.duplicates += body.path("duplicates").asLong(0);
                }
                done(ids);
            }
        }
        wakeCommitter();
        List<Delivery> corrected = new ArrayList<>();
        for (Delivery d : refused) {
            JsonNode errors = rejected.get(indexOf(batch, d));
            Delivery fixed = onlyTimestamps(errors) ? correct(d) : null;
            if (fixed != null) {
                corrected.add(fixed);
            } else {
                reject(List.of(d), errors.toString());
            }
        }
        Failure failure = retry.isEmpty() ? null : new Failure(reply.retryAfter().orElse(Duration.ZERO));
        if (!corrected.isEmpty()) {
            Failure again = sendBatch(corrected);
            return failure != null ? failure : again;
        }
        return failure;
    }

    // ---------------------------------------------------------------- clock correction

    /** The body as it goes on the wire: shifted when the clock estimate moved by a second or more since it was stamped. */
    private ObjectNode bodyToSend(Delivery d) {
        if (!time.estimated()) {
            return d.body();
        }
        long delta = time.offsetMs() - d.clockOffsetMs();
        if (Math.abs(delta) < CORRECT_FROM_MS) {
            return d.body();
        }
        health.timestampsCorrected.incrementAndGet();
        return shifted(d.body(), delta);
    }

    /** True when every error of a refusal names a timestamp field (and there is at least one). */
    private static boolean onlyTimestamps(JsonNode errors) {
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return false;
        }
        for (JsonNode e : errors) {
            String field = e.path("field").asText("");
            String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
            if (!TIME_FIELDS.contains(last)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A record refused for its timestamp, re-stamped with the current clock estimate; it replaces the original in
     * the lane and the journal. Null when it cannot be corrected: already corrected once, no estimate of the
     * server's clock, or the estimate would not move it.
     */
    private Delivery correct(Delivery d) {
        if (d.corrected() || !time.estimated()) {
            return null;
        }
        long delta = time.offsetMs() - d.clockOffsetMs();
        if (Math.abs(delta) < CORRECT_FROM_MS) {
            return null;
        }
        ObjectNode body = shifted(d.body(), delta);
        String text = body.toString();
        Delivery fixed = new Delivery(d.id(), d.kind(), d.key(), d.recordedAt().plusMillis(delta), body, text.length(),
                time.offsetMs(), true);
        synchronized (lock) {
            Lane lane = Lane.of(d.kind());
            if (lanes.get(lane).get(d.id()) != d) {
                return null;
            }
            lanes.get(lane).put(d.id(), fixed);
            pendingBytes += fixed.weight() - d.weight();
            enqueue(new Append(fixed, text));
        }
        wakeCommitter();
        health.timestampsCorrected.incrementAndGet();
        listener.onTimestampCorrected(fixed, delta);
        return fixed;
    }

    private ObjectNode shifted(ObjectNode body, long deltaMs) {
        ObjectNode copy = body.deepCopy();
        shift(copy, deltaMs);
        return copy;
    }

    private static void shift(JsonNode node, long deltaMs) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                if (TIME_FIELDS.contains(name) && v.isTextual()) {
                    try {
                        o.put(name, OffsetDateTime.parse(v.asText()).toInstant().plusMillis(deltaMs).toString());
                    } catch (DateTimeParseException notATime) {
                        // left as it is: the server will say what is wrong with it
                    }
                } else if (!APP_OBJECTS.contains(name)) {
                    shift(v, deltaMs);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(e -> shift(e, deltaMs));
        }
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
            done(dropped.stream().map(Delivery::id).toList());
        }
        wakeCommitter();
        dropped.forEach(d -> listener.onDropped(d, DeliveryListener.Drop.REJECTED, reason));
    }

    private Transport.Reply call(Delivery.Kind kind, String method, String path, ObjectNode body) {
        long start = System.nanoTime();
        Instant sentAt = time.local();
        try {
            String token = deviceToken.get();
            if (token == null || token.isBlank()) {
                throw new IOException("no device token from the token supplier");
            }
            Transport.Reply reply = transport.send(method, path, token, body.toString().getBytes(StandardCharsets.UTF_8));
            Instant receivedAt = time.local();
            if (reply.date() != null) {
                reply.date().ifPresent(d -> time.observe(sentAt, receivedAt, d));
            }
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
        int n;
        synchronized (lock) {
            drainInbox();
            n = pendingCount();
        }
        reportEvictions();
        return n;
    }

    /** When the next automatic attempt may run (after a failure: the end of its backoff), on the kiosk's clock. */
    public Instant nextAttemptAt() {
        synchronized (lock) {
            return time.local().plusNanos(Math.max(0, nextAttemptNanos - time.nanos()));
        }
    }

    /** Journal lines that could not be read on opening (not the cut-off last line of a power failure). */
    public int unreadableJournalLines() {
        return unreadableLines;
    }

    public DeliveryStats stats() {
        DeliveryStats stats;
        synchronized (lock) {
            drainInbox();
            Map<Delivery.Kind, Integer> pending = new EnumMap<>(Delivery.Kind.class);
            lanes.values().forEach(l -> l.values().forEach(d -> pending.merge(d.kind(), 1, Integer::sum)));
            stats = DeliveryStats.of(counters, pending);
        }
        reportEvictions();
        return stats;
    }

    /** The SDK's own troubles and corrections (see {@link Health}). */
    public Health health() {
        return health.snapshot(time.offsetMs());
    }

    /**
     * Stops the timer, commits what is queued to the journal and releases it; what is pending stays there for the
     * next start. Later calls queue nothing (they are reported as ignored).
     */
    @Override
    public void close() {
        ticker.cancel(false);
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        stopCommitter();
        commitOnce();
        journal.close();
    }

    /** Tests: the process dies here. Nothing more is written; the directory's lock is released. */
    void crash() {
        ticker.cancel(false);
        stopCommitter();
        journal.abandon();
    }

    /** Stops the background committer (waiting up to 5 s for a write in progress) and refuses further calls. */
    private void stopCommitter() {
        committerRunning = false;
        LockSupport.unpark(committer);
        try {
            committer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            closed = true;
        }
    }
}
