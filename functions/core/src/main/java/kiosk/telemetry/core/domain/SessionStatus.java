package kiosk.telemetry.core.domain;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A session's lifecycle: {@code started} -> {@code in_progress} -> one terminal status; {@code started} may go
 * straight to a terminal status. A terminal status is final.
 */
public enum SessionStatus {
    started, in_progress, completed, abandoned, timeout, error;

    public static final Set<String> NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    public boolean terminal() {
        return this == completed || this == abandoned || this == timeout || this == error;
    }

    /** Whether a PATCH may set {@code next} on a session in this status (repeating the current one is no move). */
    public boolean mayBecome(SessionStatus next) {
        if (next == this) {
            return true;
        }
        return switch (this) {
            case started -> next == in_progress || next.terminal();
            case in_progress -> next.terminal();
            default -> false;
        };
    }
}
