package kiosk.telemetry.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An A/B experiment the SDK assigns variants for: its name (the key in a session's {@code experiments}), what a
 * customer is bucketed by ({@link Unit}), and its variants with integer weights, in a fixed order.
 * <pre>{@code
 * Experiment frameLayout = Experiment.perDevice("frameLayout").variant("A", 50).variant("B", 50);
 * Experiment priceTag = Experiment.perSession("priceTag").variant("control", 80).variant("badge", 20);
 * }</pre>
 * The order of the variants is part of the assignment (see {@link Variants}): reordering them, or changing a
 * weight, moves units between variants. Instances are immutable; {@link #variant} returns a new one.
 *
 * @throws IllegalArgumentException from the factory methods and {@link #variant} for a definition the server
 *                                  or the assignment cannot take (a definition error, made once at start-up)
 */
public final class Experiment {

    /** What one assignment is stable for. */
    public enum Unit {
        /** The kiosk's device id: every session of a kiosk sees the same variant (layout tests, store tests). */
        DEVICE,
        /** The session id: each customer visit is assigned anew (copy and price tests). */
        SESSION
    }

    /** Weights add up to at most 2^20, so that {@code h × W} stays below 2^53 (exact in every language). */
    static final long MAX_TOTAL_WEIGHT = 1L << 20;
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private final String name;
    private final Unit unit;
    private final List<String> variants;
    private final List<Integer> weights;

    private Experiment(String name, Unit unit, List<String> variants, List<Integer> weights) {
        this.name = name;
        this.unit = unit;
        this.variants = variants;
        this.weights = weights;
    }

    /** An experiment whose variant is fixed per kiosk (needs {@code KioskTelemetry.Builder#deviceId}). */
    public static Experiment perDevice(String name) {
        return of(name, Unit.DEVICE);
    }

    /** An experiment whose variant is drawn per session. */
    public static Experiment perSession(String name) {
        return of(name, Unit.SESSION);
    }

    private static Experiment of(String name, Unit unit) {
        checkName("experiment name", name);
        return new Experiment(name, unit, List.of(), List.of());
    }

    /** This experiment with one more variant, after those already given; weight 0 keeps a variant defined but unused. */
    public Experiment variant(String variant, int weight) {
        checkName("variant", variant);
        if (weight < 0 || variants.contains(variant)) {
            throw new IllegalArgumentException("variant " + variant + " of " + name + ": weight ≥ 0 and each variant once");
        }
        if (totalWeight() + weight > MAX_TOTAL_WEIGHT) {
            throw new IllegalArgumentException("the weights of " + name + " add up to more than " + MAX_TOTAL_WEIGHT);
        }
        List<String> v = new ArrayList<>(variants);
        List<Integer> w = new ArrayList<>(weights);
        v.add(variant);
        w.add(weight);
        return new Experiment(name, unit, Collections.unmodifiableList(v), Collections.unmodifiableList(w));
    }

    private static void checkName(String what, String s) {
        if (s == null || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ", was " + s);
        }
    }

    public String name() {
        return name;
    }

    public Unit unit() {
        return unit;
    }

    /** Variant → weight, in assignment order. */
    public Map<String, Integer> weights() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < variants.size(); i++) {
            m.put(variants.get(i), weights.get(i));
        }
        return m;
    }

    long totalWeight() {
        long sum = 0;
        for (int w : weights) {
            sum += w;
        }
        return sum;
    }

    List<String> variantList() {
        return variants;
    }

    List<Integer> weightList() {
        return weights;
    }

    @Override
    public String toString() {
        return name + "(" + unit + ") " + weights();
    }
}
