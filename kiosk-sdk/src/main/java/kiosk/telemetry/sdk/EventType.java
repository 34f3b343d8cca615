package kiosk.telemetry.sdk;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An event's {@code eventType}: the contract's known types as constants, and custom ones from {@link #custom}.
 * Custom types are best defined once, as constants of the app, so that a bad name shows at start-up.
 */
public final class EventType {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    public static final EventType SCREEN_ENTER = new EventType("screen_enter");
    public static final EventType SCREEN_EXIT = new EventType("screen_exit");
    public static final EventType TAP = new EventType("tap");
    public static final EventType LONG_PRESS = new EventType("long_press");
    public static final EventType SELECT = new EventType("select");
    public static final EventType DESELECT = new EventType("deselect");
    public static final EventType BACK = new EventType("back");
    public static final EventType CANCEL = new EventType("cancel");
    /** Give {@code properties.scrollDepth} (0–100). */
    public static final EventType SCROLL = new EventType("scroll");

    private final String name;

    private EventType(String name) {
        this.name = name;
    }

    /**
     * A custom event type ({@code ^[a-z][a-z0-9_]{0,63}$}, for example {@code filter_applied}).
     *
     * @throws IllegalArgumentException for a name the server would refuse (a definition error, not a runtime one)
     */
    public static EventType custom(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an event type matches ^[a-z][a-z0-9_]{0,63}$, was " + name);
        }
        return new EventType(name);
    }

    /** The type for a name, or null when the server would refuse the name. */
    static EventType parse(String name) {
        return name != null && NAME.matcher(name).matches() ? new EventType(name) : null;
    }

    /** The name on the wire. */
    public String apiName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventType t && t.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
