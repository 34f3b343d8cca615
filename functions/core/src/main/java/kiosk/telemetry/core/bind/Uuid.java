package kiosk.telemetry.core.bind;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A kiosk-created id: a v4 or v7 UUID in any case (records keep it in lower case). */
@Pattern(regexp = "^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", flags = Pattern.Flag.CASE_INSENSITIVE)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Uuid {
    String message() default "must be a UUID (version 4 or 7)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
