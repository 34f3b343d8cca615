package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One record the kiosk means to send, as it sits in the journal until the server has answered for it.
 *
 * @param id            journal order; also the order in which records of one kind are sent
 * @param kind          which route carries it
 * @param key           what the server deduplicates on (session id, {@code sessionId#sequenceNo}, metric id, ...)
 * @param recordedAt    the record's own time; the server refuses records older than 30 days
 * @param body          the JSON item exactly as the route expects it (for a batch route: one element of the list)
 * @param weight        the body's serialized length, measured once: the journal cap and batch sizes count it
 * @param clockOffsetMs the server-clock correction (ms) already applied to the record's timestamps when it was made
 * @param corrected     its timestamps were corrected after the server refused them (it is not corrected twice)
 */
public record Delivery(long id, Kind kind, String key, Instant recordedAt, ObjectNode body, int weight,
                       long clockOffsetMs, boolean corrected) {

    static Delivery of(long id, Kind kind, String key, Instant recordedAt, ObjectNode body) {
        return of(id, kind, key, recordedAt, body, 0, false);
    }

    static Delivery of(long id, Kind kind, String key, Instant recordedAt, ObjectNode body, long clockOffsetMs,
                       boolean corrected) {
        return new Delivery(id, kind, key, recordedAt, body, body.toString().length(), clockOffsetMs, corrected);
    }

    /** The contract's ingestion routes, one per kind of record. */
    public enum Kind {
        SESSION_START("POST /api/sessions"),
        SESSION_UPDATE("PATCH /api/sessions/{sessionId}"),
        EVENT("POST /api/events/batch"),
        METRIC("POST /api/performance/batch"),
        ERROR("POST /api/errors"),
        SALE("POST /api/sales");

        private final String route;

        Kind(String route) {
            this.route = route;
        }

        /** The route as reported to listeners (path parameters left as names). */
        public String route() {
            return route;
        }
    }
}
