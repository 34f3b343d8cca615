package kiosk.telemetry.core.bind;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A timestamp inside the accepted window, {@code [now - max-past-age, now + max-future-skew]}, both ends
 * inclusive, against the server's clock. Own constraint: {@code @PastOrPresent} has no configurable skew or age.
 */
@Constraint(validatedBy = InWindowValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface InWindow {
    String message() default "must be inside the accepted time window";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
