package kiosk.telemetry.aggregate;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.LocalDate;

/** {@code POST /api/daily-summary/aggregate}: {@code date}, or {@code from} and {@code to} (inclusive); {@code force} optional. */
@RegisterForReflection
public record AggregateRequest(LocalDate date, LocalDate from, LocalDate to, Boolean force) {
}
