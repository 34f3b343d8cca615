package kiosk.telemetry.core.time;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;

import java.time.Clock;

/** Clock and reporting calendar as injectable beans, so tests and services share one notion of "now". */
public class TimeBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ReportingCalendar calendar(TelemetryConfig config) {
        return new ReportingCalendar(config.reportingZone());
    }
}
