package kiosk.telemetry.sdk;

/**
 * Hears what happened to what the kiosk sent. Called on the SDK's sending thread (an eviction: on the thread
 * that queued the record which made room necessary), never while the SDK holds its lock; keep it quick. Every
 * method has a no-op default.
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
}
