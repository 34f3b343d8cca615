package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

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
    private final Clock clock;
    private final ObjectMapper json;
    private final Deque<ObjectNode> breadcrumbs = new ArrayDeque<>(BREADCRUMBS);
    private volatile Supplier<Map<String, ?>> deviceState = Map::of;

    ErrorTracker(EventBuffer buffer, Clock clock, ObjectMapper json) {
        this.buffer = buffer;
        this.clock = clock;
        this.json = json;
    }

    /** Leaves a breadcrumb; the oldest falls off after 50. */
    public void breadcrumb(String type, String message, Map<String, ?> data) {
        ObjectNode b = json.createObjectNode().put("timestamp", now().toString()).put("type", cut(type, MAX_STRING))
                .put("message", cut(message, MAX_STRING));
        if (data != null && !data.isEmpty()) {
            b.set("data", json.valueToTree(data));
        }
        synchronized (breadcrumbs) {
            if (breadcrumbs.size() == BREADCRUMBS) {
                breadcrumbs.removeFirst();
            }
            breadcrumbs.addLast(b);
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
        String errorId = UUID.randomUUID().toString();
        Instant at = now();
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
        synchronized (breadcrumbs) {
            breadcrumbs.forEach(b -> crumbs.add(b.deepCopy()));
        }
        error.set("deviceState", stateNow());
        buffer.add(Delivery.Kind.ERROR, errorId, at, error);
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
        } catch (RuntimeException e) {
            state = json.createObjectNode().put("unavailable", cut(String.valueOf(e), MAX_STRING));
        }
        if (state.toString().length() > MAX_OBJECT) {
            state = json.createObjectNode().put("truncated", true);
        }
        return state;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
