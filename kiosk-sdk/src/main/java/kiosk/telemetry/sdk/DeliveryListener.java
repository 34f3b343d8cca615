package kiosk.telemetry.sdk;

/**
 * Hears what happened to what the kiosk sent, and the SDK's own troubles. Called on the SDK's threads (an
 * ignored call: on the app's thread that made it), never while the SDK holds its lock; keep it quick. Every method has a no-op default; an exception thrown by a listener is swallowed.
 */
public interface DeliveryListener {

    /** Why a record was given up on without the server storing it. */
    enum Drop {
        /** The server refused it (a 4xx for that record); sending it again cannot help. */
        REJECTED,
        /** The journal was over its cap; the oldest low-value record made room (see {@code EventBuffer}). */
        EVICTED,
        /** Older than the server accepts (30 days): it would be refused. */
        EXPIRED
    }

    /** A request got an HTTP answer, {@code nanos} after it was sent. */
    default void onResponse(Delivery.Kind kind, int status, long nanos) {
    }

    /** A request got no answer (offline, timeout, connection reset). It will be retried. */
    default void onNoResponse(Delivery.Kind kind, Exception cause) {
    }

    /** A record will not be sent (again). {@code reason} is the server's message or the SDK's. */
    default void onDropped(Delivery delivery, Drop why, String reason) {
    }

    /**
     * The journal could not be written (full disk, I/O error). Records stay queued in memory and are still
     * sent; the write is retried. A crash before it succeeds loses what was not written.
     */
    default void onJournalFailure(Exception cause) {
    }

    /** The server refused a record for its timestamp only; it was shifted by {@code byMillis} and sent again once. */
    default void onTimestampCorrected(Delivery delivery, long byMillis) {
    }

    /**
     * An app call was not honoured, instead of throwing into the app: {@code call} names it (for example
     * {@code Session.enter}), {@code reason} says why (the session already ended, an amount is invalid...).
     */
    default void onIgnored(String call, String reason) {
    }

    /** Wraps a listener so that nothing it throws reaches the SDK's threads or the app. */
    static DeliveryListener safe(DeliveryListener l) {
        return new DeliveryListener() {
            @Override
            public void onResponse(Delivery.Kind kind, int status, long nanos) {
                try {
                    l.onResponse(kind, status, nanos);
                } catch (RuntimeException ignored) {
                    // a listener's bug must not stop delivery
                }
            }

            @Override
            public void onNoResponse(Delivery.Kind kind, Exception cause) {
                try {
                    l.onNoResponse(kind, cause);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }

            @Override
            public void onDropped(Delivery delivery, Drop why, String reason) {
                try {
                    l.onDropped(delivery, why, reason);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }

            @Override
            public void onJournalFailure(Exception cause) {
                try {
                    l.onJournalFailure(cause);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }

            @Override
            public void onTimestampCorrected(Delivery delivery, long byMillis) {
                try {
                    l.onTimestampCorrected(delivery, byMillis);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }

            @Override
            public void onIgnored(String call, String reason) {
                try {
                    l.onIgnored(call, reason);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }
        };
    }
}
