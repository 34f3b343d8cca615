package kiosk.telemetry.core.bind;

import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.validation.Validation;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.time.Clock;

/** A binder outside the container: the configuration's default limits, a given clock. */
final class Validators {

    private Validators() {
    }

    static Binder binder(Clock clock) {
        TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        return new Binder(Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory(), clock, config);
    }
}
