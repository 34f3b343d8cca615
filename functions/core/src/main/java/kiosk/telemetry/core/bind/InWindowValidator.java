package kiosk.telemetry.core.bind;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import kiosk.telemetry.core.config.TelemetryConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

@ApplicationScoped
public class InWindowValidator implements ConstraintValidator<InWindow, Instant> {

    private final Clock clock;
    private final Duration maxFutureSkew;
    private final Duration maxPastAge;

    public InWindowValidator(Clock clock, TelemetryConfig config) {
        this(clock, config.limits().maxFutureSkew(), config.limits().maxPastAge());
    }

    InWindowValidator(Clock clock, Duration maxFutureSkew, Duration maxPastAge) {
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
        this.maxPastAge = maxPastAge;
    }

    @Override
    public boolean isValid(Instant t, ConstraintValidatorContext context) {
        if (t == null) {
            return true;
        }
        Instant now = clock.instant();
        String refusal = null;
        if (t.isAfter(now.plus(maxFutureSkew))) {
            refusal = "must be at most " + maxFutureSkew.toMinutes() + " minutes in the future";
        } else if (t.isBefore(now.minus(maxPastAge))) {
            refusal = "must be at most " + maxPastAge.toDays() + " days in the past";
        }
        if (refusal == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(refusal).addConstraintViolation();
        return false;
    }
}
