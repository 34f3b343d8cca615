package kiosk.telemetry.core.bind;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorFactory;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.time.Clock;
import java.time.Duration;

/** A Bean Validation validator outside the container, with the contract's default limits and a fixed clock. */
final class Validators {

    private Validators() {
    }

    static Binder binder(Clock clock) {
        return new Binder(validator(clock));
    }

    static Validator validator(Clock clock) {
        ConstraintValidatorFactory factory = new ConstraintValidatorFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends ConstraintValidator<?, ?>> T getInstance(Class<T> key) {
                if (key == MaxBytesValidator.class) {
                    return (T) new MaxBytesValidator(2048);
                }
                if (key == FreeObjectValidator.class) {
                    return (T) new FreeObjectValidator(8192);
                }
                if (key == InWindowValidator.class) {
                    return (T) new InWindowValidator(clock, Duration.ofMinutes(5), Duration.ofDays(30));
                }
                try {
                    return key.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void releaseInstance(ConstraintValidator<?, ?> instance) {
            }
        };
        return Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .constraintValidatorFactory(factory)
                .buildValidatorFactory().getValidator();
    }
}
