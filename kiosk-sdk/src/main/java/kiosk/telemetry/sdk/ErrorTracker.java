package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.LinkedHashMap;

/**
 * Errors with what led to them: a ring of the last 50 breadcrumbs (navigation, taps, hardware notices), the
 * device's state when the error happened (from a supplier the app registers) and, for a crash, the stack.
 * Fields are cut to the contract's limits here (message 2 KiB, stack 32 KiB, device state 8 KiB) so an error
 * is never refused for its size.
 */
public final class ErrorTracker {

    static final int BREADCRUMBS = 50;
    static final int MAX_STRING = 2048;
    static final int MAX_STACK = 32 * 1024;
    static final int MAX_OBJECT = 8 * 1024;

    private final EventBuffer buffer;
    private final TimeSource time;
    private final ObjectMapper json;
    /**
     * The ring: slot {@code n % 50} holds the n-th breadcrumb left. Lock-free, since every {@code track()} of every
     * app thread leaves one: a shared lock there made the app's threads queue behind each other.
     */
    private final AtomicReferenceArray<Crumb> ring = new AtomicReferenceArray<>(BREADCRUMBS);
    private final AtomicLong left = new AtomicLong();
    private volatile Supplier<Map<String, ?>> deviceState = Map::of;

    /** A breadcrumb as kept in the ring (the {@code n}-th left); made into JSON only when an error is reported. */
    private record Crumb(long n, Instant at, String type, String message, Map<String, ?> data) {
    }

    ErrorTracker(EventBuffer buffer, TimeSource time, ObjectMapper json) {
        this.buffer = buffer;
        this.time = time;
        this.json = json;
    }

    /** Leaves a breadcrumb; the oldest falls off after 50. {@code enter} and {@code track} leave their own. */
    public void breadcrumb(String type, String message, Map<String, ?> data) {
        add(time.now(), type, message, data == null || data.isEmpty() ? null : new LinkedHashMap<>(data));
    }

    /** The automatic breadcrumb of a funnel move or a tracked event (cheap: no JSON until an error needs it). */
    void autoBreadcrumb(Instant at, String type, String message) {
        add(at, type, message, null);
    }

    private void add(Instant at, String type, String message, Map<String, ?> data) {
        long n = left.getAndIncrement();
        ring.set((int) (n % BREADCRUMBS), new Crumb(n, at, type, message, data));
    }

    /**
     * The last 50 breadcrumbs, oldest first. A slot another thread is filling at this moment (it still holds the
     * breadcrumb 50 before) or has just refilled (it holds a newer one) is left out, so the list is always in the
     * order the breadcrumbs were left.
     */
    private List<Crumb> lastCrumbs() {
        long end = left.get();
        List<Crumb> out = new ArrayList<>(BREADCRUMBS);
        for (long n = Math.max(0, end - BREADCRUMBS); n < end; n++) {
            Crumb c = ring.get((int) (n % BREADCRUMBS));
            if (c != null && c.n() == n) {
                out.add(c);
            }
        }
        return out;
    }

    private ObjectNode toJson(Crumb c) {
        ObjectNode b = json.createObjectNode().put("timestamp", c.at().toString())
                .put("type", cut(c.type() == null ? "other" : c.type(), MAX_STRING))
                .put("message", cut(c.message() == null ? "" : c.message(), MAX_STRING));
        if (c.data() != null) {
            try {
                b.set("data", json.valueToTree(c.data()));
            } catch (IllegalArgumentException notJson) {
                b.put("data", (String) null);
            }
        }
        return b;
    }

    /**
     * Runs {@code action}; if it throws, reports the exception as an {@code error} of {@code category} with
     * {@code code} (the exception's class when null) and the session, then rethrows it unchanged.
     * <pre>{@code
     * Photo p = telemetry.errors().guard(ErrorCategory.HARDWARE, "CAMERA", session, () -> camera.capture());
     * }</pre>
     */
    public <T> T guard(ErrorCategory category, String code, Session session, Callable<T> action) throws Exception {
        try {
            return action.call();
        } catch (Exception | Error e) {
            report(Severity.ERROR, category, code != null ? code : e.getClass().getSimpleName(),
                    e.getClass().getSimpleName() + ": " + e.getMessage(), e, session);
            throw e;
        }
    }

    /** {@link #guard} for code that returns nothing and throws only unchecked exceptions. */
    public void guardRun(ErrorCategory category, String code, Session session, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            report(Severity.ERROR, category, code != null ? code : e.getClass().getSimpleName(),
                    e.getClass().getSimpleName() + ": " + e.getMessage(), e, session);
            throw e;
        }
    }

    /** What to report as {@code deviceState} with every error (printer paper, network, disk...). */
    public void deviceState(Supplier<Map<String, ?>> supplier) {
        this.deviceState = supplier;
    }

    /**
     * Reports an error; returns its {@code errorId}. {@code cause} (may be null) gives the stack. {@code session}
     * may be null.
     */
    public String report(Severity severity, ErrorCategory category, String code, String message, Throwable cause,
                         Session session) {
        if (severity == null || category == null) {
            buffer.ignored("ErrorTracker.report", "severity and category are required");
            return null;
        }
        String errorId = UUID.randomUUID().toString();
        long off = time.offsetMs();
        Instant at = time.now();
        ObjectNode error = json.createObjectNode().put("errorId", errorId).put("timestamp", at.toString())
                .put("severity", severity.apiName()).put("category", category.apiName())
                .put("message", cut(message == null || message.isBlank() ? String.valueOf(code) : message, MAX_STRING));
        if (code != null) {
            error.put("code", cut(code, MAX_STRING));
        }
        if (session != null) {
            error.put("sessionId", session.id());
        }
        if (cause != null) {
            StringWriter sw = new StringWriter();
            cause.printStackTrace(new PrintWriter(sw));
            error.put("stack", cut(sw.toString(), MAX_STACK));
        }
        ArrayNode crumbs = error.putArray("breadcrumbs");
        lastCrumbs().forEach(c -> crumbs.add(toJson(c)));
        error.set("deviceState", stateNow());
        buffer.add(Delivery.Kind.ERROR, errorId, at, error, off, null);
        if (severity == Severity.FATAL) {
            buffer.flushSoon();
        }
        return errorId;
    }

    /**
     * Reports an uncaught exception on any thread as a {@code fatal} software error (journaled before the
     * previous handler, often the one that ends the process, runs).
     */
    public void installCrashHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            try {
                report(Severity.FATAL, ErrorCategory.SOFTWARE, e.getClass().getSimpleName(),
                        "uncaught on thread " + thread.getName() + ": " + e.getMessage(), e, null);
            } catch (RuntimeException reportFailed) {
                e.addSuppressed(reportFailed);
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            }
        });
    }

    private ObjectNode stateNow() {
        ObjectNode state;
        try {
            Map<String, ?> s = deviceState.get();
            state = s == null ? json.createObjectNode() : json.valueToTree(s);
        } catch (RuntimeException | Error e) {
            state = json.createObjectNode().put("unavailable", cut(String.valueOf(e), MAX_STRING));
        }
        if (state.toString().length() > MAX_OBJECT) {
            state = json.createObjectNode().put("truncated", true);
        }
        return state;
    }

    private static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
