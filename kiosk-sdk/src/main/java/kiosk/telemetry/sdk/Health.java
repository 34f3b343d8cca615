package kiosk.telemetry.sdk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK's own troubles, counted since it was built: what it could not write, what it corrected, what it
 * ignored. Each one is also reported to the {@link DeliveryListener} when it happens; none is ever thrown into
 * the app.
 *
 * @param journalWriteFailures group commits the disk refused (full disk, I/O error); the records stay in memory,
 *                             are still sent, and the write is retried about every second
 * @param journalCommits       group commits done (each one write and, in {@code SYNC}, one fsync)
 * @param maxCommitMillis      the longest a record waited from being queued until it was durable
 * @param timestampsCorrected  sends of a record whose timestamps were shifted by the server-clock offset (a record
 *                             resent after a failure counts again), plus records corrected after the server
 *                             refused them for their timestamp
 * @param ignoredCalls         app calls that could not be honoured (a state change on an ended session, an
 *                             invalid sale, a call after {@code close()}); see {@link DeliveryListener#onIgnored}
 * @param sessionsRecovered    sessions left open by a previous process that were ended at start
 * @param clockOffsetMillis    the current estimate of server time − kiosk time (0 before the first dated answer)
 */
public record Health(long journalWriteFailures, long journalCommits, long maxCommitMillis, long timestampsCorrected,
                     long ignoredCalls, long sessionsRecovered, long clockOffsetMillis) {

    static final class Counters {
        final AtomicLong journalWriteFailures = new AtomicLong();
        final AtomicLong journalCommits = new AtomicLong();
        final AtomicLong maxCommitNanos = new AtomicLong();
        final AtomicLong timestampsCorrected = new AtomicLong();
        final AtomicLong ignoredCalls = new AtomicLong();
        final AtomicLong sessionsRecovered = new AtomicLong();

        Health snapshot(long offsetMs) {
            return new Health(journalWriteFailures.get(), journalCommits.get(), maxCommitNanos.get() / 1_000_000,
                    timestampsCorrected.get(), ignoredCalls.get(), sessionsRecovered.get(), offsetMs);
        }
    }
}
