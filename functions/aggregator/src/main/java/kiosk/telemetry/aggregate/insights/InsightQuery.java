package kiosk.telemetry.aggregate.insights;

import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.domain.Refusal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The range and scope every insights route takes: {@code from} and {@code to} inclusive reporting dates, at
 * most 366 dates, {@code to} not after today; at most one of {@code storeId}, {@code groupId},
 * {@code countryCode} (none: the fleet). Anything else is a 400 with the field and the reason.
 */
public record InsightQuery(LocalDate from, LocalDate to, Rollups.Scope scope) {

    public static final int MAX_DATES = 366;

    public static InsightQuery parse(String from, String to, String storeId, String groupId, String countryCode, LocalDate today) {
        LocalDate f = date("from", from);
        LocalDate t = date("to", to);
        if (t.isBefore(f)) {
            throw Refusal.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(f, t) >= MAX_DATES) {
            throw Refusal.invalid("to", "a range covers at most " + MAX_DATES + " dates");
        }
        if (t.isAfter(today)) {
            throw Refusal.invalid("to", "must not be after today (" + today + ")");
        }
        Rollups.Scope scope = Rollups.Scope.of(storeId, groupId, countryCode);
        return new InsightQuery(f, t, scope);
    }

    /** At most one of {@code storeId}, {@code groupId}, {@code countryCode} (none: the fleet); two or more are a 400. */
    private static LocalDate date(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw Refusal.invalid(field, "is required (YYYY-MM-DD)");
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("length", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(field, "must be a date YYYY-MM-DD");
        }
    }
}
