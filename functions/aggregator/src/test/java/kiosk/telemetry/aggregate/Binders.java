package kiosk.telemetry.aggregate;

import jakarta.validation.Validation;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.time.Clock;

/** The request binder outside the container, for tests that build the batch path by hand. */
final class Binders {

    private Binders() {
    }

    static Binder standalone(TelemetryConfig config, Clock clock) {
        return new Binder(Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory(), clock, config);
    }
}
