package kiosk.telemetry.core.page;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The contract's list body: {@code {"items":[...],"nextCursor":"..."|null}}. */
@RegisterForReflection
public record Page<T>(List<T> items, String nextCursor) {
}
