package kiosk.telemetry.core.bind;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.time.Instant;

/** Judges against the {@link InputRules} the {@link Binder} passes as the validator payload. */
@RegisterForReflection
public class InWindowValidator implements ConstraintValidator<InWindow, Instant> {

    @Override
    public boolean isValid(Instant t, ConstraintValidatorContext context) {
        if (t == null) {
            return true;
        }
        InputRules rules = context.unwrap(HibernateConstraintValidatorContext.class).getConstraintValidatorPayload(InputRules.class);
        String refusal = null;
        if (t.isAfter(rules.latest())) {
            refusal = "must be at most " + rules.maxFutureSkew().toMinutes() + " minutes in the future";
        } else if (t.isBefore(rules.earliest())) {
            refusal = "must be at most " + rules.maxPastAge().toDays() + " days in the past";
        }
        if (refusal == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(refusal).addConstraintViolation();
        return false;
    }
}
