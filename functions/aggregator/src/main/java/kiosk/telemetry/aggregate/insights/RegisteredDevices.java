package kiosk.telemetry.aggregate.insights;

import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.dynamo.DevicesTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The overview's {@code registered}: devices in the registry now, in a scope, revoked ones left out. Counting reads
 * every device of the scope, so each scope's count is kept for {@code keep} (docs/insights.md gives the cost).
 */
public final class RegisteredDevices {

    private record Counted(long count, Instant until) {
    }

    private final DevicesTable devices;
    private final Clock clock;
    private final Duration keep;
    private final Map<Rollups.Scope, Counted> counted = new ConcurrentHashMap<>();

    public RegisteredDevices(DevicesTable devices, Clock clock, Duration keep) {
        this.devices = devices;
        this.clock = clock;
        this.keep = keep;
    }

    public long in(Rollups.Scope scope) {
        Instant now = clock.instant();
        // one count per scope at a time: requests arriving together when the kept count expires wait for it
        return counted.compute(scope, (k, c) -> c != null && now.isBefore(c.until()) ? c : new Counted(count(k), now.plus(keep))).count();
    }

    private long count(Rollups.Scope scope) {
        return switch (scope.type()) {
            case fleet -> devices.countRegistered(null, null, null);
            case store -> devices.countRegistered(scope.id(), null, null);
            case group -> devices.countRegistered(null, scope.id(), null);
            case country -> devices.countRegistered(null, null, scope.id());
        };
    }
}
