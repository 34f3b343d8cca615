package kiosk.telemetry.core.bind;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.nio.charset.StandardCharsets;

@ApplicationScoped
public class MaxBytesValidator implements ConstraintValidator<MaxBytes, String> {

    private final int configured;
    private int limit;

    public MaxBytesValidator(TelemetryConfig config) {
        this(config.limits().maxStringBytes());
    }

    MaxBytesValidator(int configured) {
        this.configured = configured;
    }

    @Override
    public void initialize(MaxBytes a) {
        limit = a.value() > 0 ? a.value() : configured;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || value.length() <= limit / 3 || value.getBytes(StandardCharsets.UTF_8).length <= limit) {
            return true;
        }
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("limit", limit);
        return false;
    }
}
