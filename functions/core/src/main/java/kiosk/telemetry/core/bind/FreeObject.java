package kiosk.telemetry.core.bind;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A free-form JSON object ({@code properties}, {@code context}, ...) within the configured object size, whose
 * numbers each lie within the range of a double (0, or a magnitude from about 4.9e-324 to 1.8e308): such numbers
 * are kept exactly as sent, and one beyond a double could be stored but never written back as a JSON number.
 * Each number out of range is its own error, at its path inside the object ({@code properties.x}).
 */
@Constraint(validatedBy = FreeObjectValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface FreeObject {
    String message() default "must be a JSON object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
