package kiosk.telemetry.core.page;

import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.time.ReportingCalendar;

/**
 * The common query parameters of every list route: {@code limit}, {@code cursor}, {@code from}, {@code to}
 * and the route's equality filters. Validates them (400 with the parameter as field) and derives the cursor
 * scope, so a cursor only works with the filters it was made for.
 */
public final class ListQuery {

    private final int limit;
    private final String cursor;
    private final Instant from;
    private final Instant to;
    private final Map<String, String> filters;
    private final String route;

    private ListQuery(String route, int limit, String cursor, Instant from, Instant to, Map<String, String> filters) {
        this.route = route;
        this.limit = limit;
        this.cursor = cursor;
        this.from = from;
        this.to = to;
        this.filters = filters;
    }

    public static Builder on(String route) {
        return new Builder(route);
    }

    public int limit() {
        return limit;
    }

    public String cursor() {
        return cursor;
    }

    /** Inclusive lower bound, or null. */
    public Instant from() {
        return from;
    }

    /** Exclusive upper bound, or null. */
    public Instant to() {
        return to;
    }

    public String filter(String name) {
        return filters.get(name);
    }

    /**
     * The reporting days a time-ranged list walks, newest first: up to {@code to} (or the accepted future skew),
     * back to {@code from} but never further than the list look-back (raw rows older than that are archived).
     */
    public List<LocalDate> days(ReportingCalendar calendar, Instant now,
                                                    TelemetryConfig.Limits limits) {
        Instant upper = to != null ? to : now.plus(limits.maxFutureSkew()).plusMillis(1);
        return calendar.daysNewestFirst(from, upper, now.minus(limits.defaultListLookback()));
    }

    /** What a cursor is bound to: the route and every filter except limit and cursor. */
    public String scope() {
        StringBuilder sb = new StringBuilder(route);
        sb.append('|').append(from == null ? "" : Timestamps.format(from));
        sb.append('|').append(to == null ? "" : Timestamps.format(to));
        filters.forEach((k, v) -> sb.append('|').append(k).append('=').append(v));
        return sb.toString();
    }

    public static final class Builder {
        private final String route;
        private final List<FieldError> errors = new ArrayList<>();
        private final Map<String, String> filters = new TreeMap<>();
        private int limit;
        private String cursor;
        private Instant from;
        private Instant to;

        private Builder(String route) {
            this.route = route;
        }

        public Builder limit(String raw, int defaultLimit, int maxLimit) {
            if (raw == null || raw.isEmpty()) {
                limit = defaultLimit;
                return this;
            }
            try {
                int n = Integer.parseInt(raw);
                if (n < 1 || n > maxLimit) {
                    errors.add(new FieldError("limit", "must be from 1 to " + maxLimit));
                } else {
                    limit = n;
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be an integer from 1 to " + maxLimit));
            }
            return this;
        }

        public Builder cursor(String raw) {
            cursor = raw == null || raw.isEmpty() ? null : raw;
            return this;
        }

        public Builder range(String rawFrom, String rawTo) {
            from = instant("from", rawFrom);
            to = instant("to", rawTo);
            if (from != null && to != null && !from.isBefore(to)) {
                errors.add(new FieldError("to", "must be after from"));
            }
            return this;
        }

        public Builder filter(String name, String value) {
            if (value != null && !value.isEmpty()) {
                if (value.length() > 256) {
                    errors.add(new FieldError(name, "must be at most 256 characters"));
                } else {
                    filters.put(name, value);
                }
            }
            return this;
        }

        public Builder oneOf(String name, String value, Set<String> allowed) {
            if (value != null && !value.isEmpty() && !allowed.contains(value)) {
                errors.add(new FieldError(name, "must be one of " + String.join(", ", new TreeSet<>(allowed))));
                return this;
            }
            return filter(name, value);
        }

        private Instant instant(String name, String raw) {
            if (raw == null || raw.isEmpty()) {
                return null;
            }
            try {
                return Timestamps.truncate(OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(name, "must be an ISO-8601 instant with an offset or Z"));
                return null;
            }
        }

        public ListQuery build() {
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
            // sorted and stable across processes: the cursor scope must not depend on hash-order salt
            return new ListQuery(route, limit, cursor, from, to, Collections.unmodifiableMap(new TreeMap<>(filters)));
        }
    }
}
