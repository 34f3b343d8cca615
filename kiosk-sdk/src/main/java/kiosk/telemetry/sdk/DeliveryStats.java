package kiosk.telemetry.sdk;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What became of the records of each kind so far, in this process (pending also counts what the journal held
 * on opening). Every queued record ends in exactly one of the other columns, or is still pending:
 * {@code queued + replayed = accepted + duplicates + notApplied + rejected + evicted + expired + replaced + pending}.
 * (The one exception: a record evicted while its batch was in flight is counted twice, as evicted and in the
 * server's accepted or duplicate count, which is per batch, not per item.)
 */
public record DeliveryStats(Map<Delivery.Kind, Count> byKind) {

    /**
     * @param queued     records handed to the SDK in this process
     * @param replayed   records found pending in the journal on opening (queued by an earlier process)
     * @param accepted   stored by the server as new
     * @param duplicates the server already held them (a retry after a lost answer)
     * @param notApplied session updates the server answered {@code applied:false} (a newer {@code seq} was there)
     * @param rejected   refused by the server for a reason a retry cannot fix
     * @param evicted    dropped to keep the journal under its cap
     * @param expired    dropped as older than the server accepts
     * @param replaced   session updates superseded by a newer update before they were sent
     * @param pending    still waiting in the journal
     */
    public record Count(long queued, long replayed, long accepted, long duplicates, long notApplied, long rejected,
                        long evicted, long expired, long replaced, long pending) {
    }

    public Count of(Delivery.Kind kind) {
        return byKind.get(kind);
    }

    /** Records of the kind the server holds because of this kiosk: stored new or found already stored. */
    public long delivered(Delivery.Kind kind) {
        Count c = of(kind);
        return c.accepted() + c.duplicates();
    }

    static final class Counters {
        long queued;
        long replayed;
        long accepted;
        long duplicates;
        long notApplied;
        long rejected;
        long evicted;
        long expired;
        long replaced;

        Count snapshot(long pending) {
            return new Count(queued, replayed, accepted, duplicates, notApplied, rejected, evicted, expired, replaced, pending);
        }
    }

    static Map<Delivery.Kind, Counters> newCounters() {
        Map<Delivery.Kind, Counters> m = new EnumMap<>(Delivery.Kind.class);
        for (Delivery.Kind k : Delivery.Kind.values()) {
            m.put(k, new Counters());
        }
        return m;
    }

    static DeliveryStats of(Map<Delivery.Kind, Counters> counters, Map<Delivery.Kind, Integer> pending) {
        Map<Delivery.Kind, Count> m = new EnumMap<>(Delivery.Kind.class);
        counters.forEach((k, c) -> m.put(k, c.snapshot(pending.getOrDefault(k, 0))));
        return new DeliveryStats(Collections.unmodifiableMap(m));
    }
}
