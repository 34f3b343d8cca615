package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A validated PATCH: {@code seq} plus the top-level fields it carries. A field is {@link Change#absent()}
 * (stays), {@link Change#cleared()} (explicit null) or {@link Change#to(Object)} (replaced whole).
 */
public record SessionPatch(long seq, String status, Change<Instant> endedAt, Change<String> exitReason,
                           Change<JsonNode> funnel, Change<JsonNode> behavior) {

    public record Change<T>(boolean present, T value) {
        private static final Change<?> ABSENT = new Change<>(false, null);
        private static final Change<?> CLEARED = new Change<>(true, null);

        @SuppressWarnings("unchecked")
        public static <T> Change<T> absent() {
            return (Change<T>) ABSENT;
        }

        @SuppressWarnings("unchecked")
        public static <T> Change<T> cleared() {
            return (Change<T>) CLEARED;
        }

        public static <T> Change<T> to(T value) {
            return new Change<>(true, value);
        }
    }
}
