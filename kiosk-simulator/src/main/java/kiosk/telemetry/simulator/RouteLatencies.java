package kiosk.telemetry.simulator;

import kiosk.telemetry.sdk.Delivery;
import kiosk.telemetry.sdk.DeliveryListener;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every request's latency and status per route, for the final table; shared by all simulated kiosks. */
public final class RouteLatencies implements DeliveryListener {

    private static final class Route {
        long[] nanos = new long[1024];
        int n;
        final Map<Integer, Long> statuses = new TreeMap<>();
        long noAnswer;
        long dropped;
        String lastDrop;
    }

    private final Map<Delivery.Kind, Route> routes = new EnumMap<>(Delivery.Kind.class);
    private final AtomicLong requests = new AtomicLong();

    public RouteLatencies() {
        for (Delivery.Kind k : Delivery.Kind.values()) {
            routes.put(k, new Route());
        }
    }

    @Override
    public void onResponse(Delivery.Kind kind, int status, long nanos) {
        requests.incrementAndGet();
        Route r = routes.get(kind);
        synchronized (r) {
            if (r.n == r.nanos.length) {
                r.nanos = Arrays.copyOf(r.nanos, r.n * 2);
            }
            r.nanos[r.n++] = nanos;
            r.statuses.merge(status, 1L, Long::sum);
        }
    }

    @Override
    public void onNoResponse(Delivery.Kind kind, Exception cause) {
        requests.incrementAndGet();
        Route r = routes.get(kind);
        synchronized (r) {
            r.noAnswer++;
        }
    }

    @Override
    public void onDropped(Delivery delivery, Drop why, String reason) {
        Route r = routes.get(delivery.kind());
        synchronized (r) {
            r.dropped++;
            r.lastDrop = why + ": " + reason;
        }
    }

    /** Requests sent so far (answered or not). */
    public long requests() {
        return requests.get();
    }

    /** One route's figures: answered requests, no-answer attempts, latency percentiles in ms, statuses. */
    public record RouteFigures(Delivery.Kind kind, long answered, long noAnswer, double p50Ms, double p99Ms,
                               double maxMs, Map<Integer, Long> statuses, long dropped, String lastDrop) {
    }

    public RouteFigures figures(Delivery.Kind kind) {
        Route r = routes.get(kind);
        synchronized (r) {
            long[] sorted = Arrays.copyOf(r.nanos, r.n);
            Arrays.sort(sorted);
            return new RouteFigures(kind, r.n, r.noAnswer, rank(sorted, 0.50), rank(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, new TreeMap<>(r.statuses), r.dropped, r.lastDrop);
        }
    }

    /** Nearest-rank percentile in milliseconds (0 when there is nothing). */
    static double rank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }
}
