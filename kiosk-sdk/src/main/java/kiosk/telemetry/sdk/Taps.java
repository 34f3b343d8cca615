package kiosk.telemetry.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Heatmap helpers: where a tap landed against the screen's tappable targets, in the screen's own pixels
 * (origin top left). The same rules, and the same shared vectors ({@code sdk-test-vectors/taps.json}), in both SDKs:
 * <ul>
 *   <li>a point is in a rectangle when {@code left ≤ x < left + width} and {@code top ≤ y < top + height};</li>
 *   <li>{@link HitResult#OUTSIDE}: the point is not on the screen; {@link HitResult#SUCCESS}: it is in a target
 *       (the first listed that holds it; list targets topmost first); {@link HitResult#MISS}: on the screen, in
 *       no target;</li>
 *   <li>{@code distanceToTarget}: from the point to the nearest edge of a target's rectangle, 0 inside,
 *       {@code sqrt(dx² + dy²)} with {@code dx = max(left − x, 0, x − (left + width))} (likewise {@code dy}),
 *       rounded half up to one decimal in {@code properties};</li>
 *   <li>{@code nearestTarget}: the target at the smallest distance; on a tie, the first listed.</li>
 * </ul>
 */
public final class Taps {

    private Taps() {
    }

    /** Where a tap landed; {@link #apiName()} is the value of {@code properties.hitResult}. */
    public enum HitResult {
        SUCCESS, MISS, OUTSIDE;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A tappable rectangle, with the id that {@code properties.target} carries (for example {@code frame-3}). */
    public record Target(String id, double left, double top, double width, double height) {
        public Target {
            Objects.requireNonNull(id, "id");
        }

        boolean contains(double x, double y) {
            return x >= left && x < left + width && y >= top && y < top + height;
        }
    }

    /** A screen's size and its targets, topmost first. */
    public record Layout(double width, double height, List<Target> targets) {
        public Layout {
            targets = List.copyOf(targets);
        }
    }

    public static HitResult hitResult(double x, double y, Layout layout) {
        if (!(x >= 0 && y >= 0 && x < layout.width() && y < layout.height())) {
            return HitResult.OUTSIDE;
        }
        for (Target t : layout.targets()) {
            if (t.contains(x, y)) {
                return HitResult.SUCCESS;
            }
        }
        return HitResult.MISS;
    }

    /** The distance from the point to the target's rectangle (0 inside), unrounded. */
    public static double distanceToTarget(double x, double y, Target t) {
        double dx = Math.max(Math.max(t.left() - x, 0), x - (t.left() + t.width()));
        double dy = Math.max(Math.max(t.top() - y, 0), y - (t.top() + t.height()));
        // sqrt, not hypot: IEEE 754 rounds sqrt exactly, so Java and JavaScript agree to the last bit
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** The target nearest to the point (the one holding it, when one does), or null without targets. */
    public static Target nearestTarget(double x, double y, List<Target> targets) {
        Target best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Target t : targets) {
            if (t.contains(x, y)) {
                return t;
            }
            double d = distanceToTarget(x, y, t);
            if (d < bestDistance) {
                best = t;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * The {@code properties} of a tap event: {@code x}, {@code y}, {@code hitResult}, and with targets on the screen
     * {@code nearestTarget}, {@code distanceToTarget} (one decimal) and, on a success, {@code target}.
     */
    public static Map<String, Object> tapProperties(double x, double y, Layout layout) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", number(x));
        p.put("y", number(y));
        HitResult hit = hitResult(x, y, layout);
        p.put("hitResult", hit.apiName());
        Target nearest = nearestTarget(x, y, layout.targets());
        if (nearest != null) {
            if (hit == HitResult.SUCCESS) {
                p.put("target", nearest.id());
            }
            p.put("nearestTarget", nearest.id());
            p.put("distanceToTarget", number(round1(distanceToTarget(x, y, nearest))));
        }
        return p;
    }

    /**
     * The {@code properties} of a gesture (swipe, scroll, long press): {@code startX}, {@code startY},
     * {@code endX}, {@code endY} and {@code durationMs}.
     */
    public static Map<String, Object> gestureProperties(double startX, double startY, double endX, double endY,
                                                        long durationMs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("startX", number(startX));
        p.put("startY", number(startY));
        p.put("endX", number(endX));
        p.put("endY", number(endY));
        p.put("durationMs", Math.max(0, durationMs));
        return p;
    }

    /** Half up to one decimal (distances are ≥ 0, where Java's and JavaScript's {@code Math.round} agree). */
    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    /** Whole pixels as integers on the wire ({@code 512}, not {@code 512.0}), as a JavaScript kiosk sends them. */
    private static Object number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }
}
