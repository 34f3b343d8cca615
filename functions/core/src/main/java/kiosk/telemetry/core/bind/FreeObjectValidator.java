package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import kiosk.telemetry.core.json.Json;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.math.BigDecimal;

/** The object size limit comes from the {@link InputRules} the {@link Binder} passes as the validator payload. */
@RegisterForReflection
public class FreeObjectValidator implements ConstraintValidator<FreeObject, JsonNode> {

    @Override
    public boolean isValid(JsonNode v, ConstraintValidatorContext context) {
        if (v == null) {
            return true;
        }
        if (!v.isObject()) {
            return false;
        }
        context.disableDefaultConstraintViolation();
        int maxObjectBytes = context.unwrap(HibernateConstraintValidatorContext.class)
                .getConstraintValidatorPayload(InputRules.class).maxObjectBytes();
        int size = Json.serializedSize(v);
        if (size > maxObjectBytes) {
            context.buildConstraintViolationWithTemplate("must be at most " + maxObjectBytes + " bytes serialized, is " + size)
                    .addConstraintViolation();
            return false;
        }
        return numbersFit(v, "", context);
    }

    /** Each number out of range is a violation of its own, at a node named by its path inside the object. */
    private static boolean numbersFit(JsonNode v, String at, ConstraintValidatorContext context) {
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            double approx = d.doubleValue();
            if (d.signum() != 0 && (Double.isInfinite(approx) || approx == 0)) {
                context.buildConstraintViolationWithTemplate("must be within the range of a double (magnitude 4.9e-324 to 1.8e308)")
                        .addPropertyNode(at.substring(1)).addConstraintViolation();
                return false;
            }
            return true;
        }
        boolean fit = true;
        if (v.isObject()) {
            for (var f : v.properties()) {
                fit &= numbersFit(f.getValue(), at + "." + f.getKey(), context);
            }
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                fit &= numbersFit(v.get(i), at + "[" + i + "]", context);
            }
        }
        return fit;
    }
}
