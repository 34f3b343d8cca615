package kiosk.telemetry.core.bind;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.nio.charset.StandardCharsets;

/** A given limit, or the string limit of the {@link InputRules} the {@link Binder} passes as the validator payload. */
@RegisterForReflection
public class MaxBytesValidator implements ConstraintValidator<MaxBytes, String> {

    private int given;

    @Override
    public void initialize(MaxBytes a) {
        given = a.value();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        var hv = context.unwrap(HibernateConstraintValidatorContext.class);
        int limit = given > 0 ? given : hv.getConstraintValidatorPayload(InputRules.class).maxStringBytes();
        if (value.length() <= limit / 3 || value.getBytes(StandardCharsets.UTF_8).length <= limit) {
            return true;
        }
        hv.addMessageParameter("limit", limit);
        return false;
    }
}
