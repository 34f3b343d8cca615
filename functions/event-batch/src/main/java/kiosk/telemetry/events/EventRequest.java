package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.InputRules;
import kiosk.telemetry.core.bind.FreeObject;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.MaxBytes;
import kiosk.telemetry.core.bind.Uuid;
import org.hibernate.validator.constraints.Range;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * One event of a batch. Types matching {@code ^[a-z][a-z0-9_]{0,63}$} are accepted (kiosks add their own); a
 * {@code scroll} needs {@code properties.scrollDepth} from 0 to 100.
 */
@RegisterForReflection
@EventRequest.ScrollDepth
public record EventRequest(@NotNull @Uuid String sessionId, @NotNull @Range(min = 0, max = InputRules.MAX_SAFE_INTEGER) Long sequenceNo,
                           @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$",
                                   message = "must be lower case letters, digits and '_' (1-64, starting with a letter)") String eventType,
                           @NotNull @InWindow Instant timestamp, @MaxBytes String screen, @FreeObject JsonNode properties) {

    Event toEvent(Device caller, Instant now) {
        return new Event(sessionId.toLowerCase(Locale.ROOT), sequenceNo, caller.deviceId(), caller.storeId(), caller.groupId(),
                caller.countryCode(), eventType, timestamp, screen, properties, now);
    }

    /** A scroll event's depth: a rule across two fields, so a constraint on the record. */
    @Constraint(validatedBy = ScrollDepthValidator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @interface ScrollDepth {
        String message() default "must be from 0 to 100";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    public static class ScrollDepthValidator implements ConstraintValidator<ScrollDepth, EventRequest> {
        private static final BigDecimal MAX = BigDecimal.valueOf(100);

        @Override
        public boolean isValid(EventRequest e, ConstraintValidatorContext context) {
            if (!"scroll".equals(e.eventType())) {
                return true;
            }
            JsonNode depth = e.properties() == null ? null : e.properties().get("scrollDepth");
            String refusal = null;
            if (depth == null || !depth.isNumber()) {
                refusal = "is required for scroll events: a number from 0 to 100";
            } else if (depth.decimalValue().signum() < 0 || depth.decimalValue().compareTo(MAX) > 0) {
                refusal = "must be from 0 to 100";
            }
            if (refusal == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(refusal).addPropertyNode("properties").addPropertyNode("scrollDepth")
                    .addConstraintViolation();
            return false;
        }
    }
}
