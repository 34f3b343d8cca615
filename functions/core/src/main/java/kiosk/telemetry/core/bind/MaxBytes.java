package kiosk.telemetry.core.bind;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A string of at most {@link #value()} bytes in UTF-8, or of the configured {@code max-string-bytes} when no value
 * is given. Own constraint, because {@code @Size} counts characters and the contract's limits are bytes.
 */
@Constraint(validatedBy = MaxBytesValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface MaxBytes {
    /** The limit in bytes; 0 for the configured string limit. */
    int value() default 0;

    String message() default "must be at most {limit} bytes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
