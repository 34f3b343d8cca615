package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import kiosk.telemetry.core.bind.InputRules;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.MaxBytes;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.json.Timestamps;
import org.hibernate.validator.constraints.Range;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code PATCH /api/sessions/{id}}: {@code seq} plus the top-level fields to replace. Which fields were given, and
 * which were given as null (cleared), is read from the body ({@code Bound.given}). {@code funnel} and
 * {@code behavior} are stored normalised: only the contract's fields, in the contract's types.
 */
@RegisterForReflection
public record SessionPatchRequest(
        @NotNull @Range(min = 1, max = InputRules.MAX_SAFE_INTEGER) Long seq,
        SessionStatus status,
        @InWindow Instant endedAt,
        @MaxBytes String exitReason,
        @Valid Funnel funnel,
        @Valid Behavior behavior) {

    @RegisterForReflection
    public record Funnel(@Size(max = 64, message = "must have at most {max} items") List<@NotNull @Valid Stage> stages,
                         FunnelStage exitStage) {

        /** The stored form; {@code exitStage} is kept as an explicit null when the body cleared it. */
        ObjectNode normalised(boolean exitStageGiven) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (stages != null) {
                var arr = out.putArray("stages");
                for (Stage s : stages) {
                    ObjectNode o = arr.addObject();
                    o.put("stage", s.stage().name());
                    if (s.enteredAt() != null) {
                        o.put("enteredAt", Timestamps.format(s.enteredAt()));
                    }
                    if (s.exitedAt() != null) {
                        o.put("exitedAt", Timestamps.format(s.exitedAt()));
                    }
                }
            }
            if (exitStage != null) {
                out.put("exitStage", exitStage.name());
            } else if (exitStageGiven) {
                out.putNull("exitStage");
            }
            return out;
        }
    }

    @RegisterForReflection
    @Stage.InOrder
    public record Stage(@NotNull FunnelStage stage, @InWindow Instant enteredAt, @InWindow Instant exitedAt) {

        /** A stage is not left before it is entered: a rule across two fields, so a constraint on the record. */
        @Constraint(validatedBy = InOrderValidator.class)
        @Target(ElementType.TYPE)
        @Retention(RetentionPolicy.RUNTIME)
        @interface InOrder {
            String message() default "must not be before enteredAt";

            Class<?>[] groups() default {};

            Class<? extends Payload>[] payload() default {};
        }

        public static class InOrderValidator implements ConstraintValidator<InOrder, Stage> {
            @Override
            public boolean isValid(Stage s, ConstraintValidatorContext context) {
                if (s.enteredAt() == null || s.exitedAt() == null || !s.exitedAt().isBefore(s.enteredAt())) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                        .addPropertyNode("exitedAt").addConstraintViolation();
                return false;
            }
        }
    }

    @RegisterForReflection
    public record Behavior(@Range(min = 0, max = InputRules.MAX_SAFE_INTEGER) Long totalTaps,
                           @Range(min = 0, max = InputRules.MAX_SAFE_INTEGER) Long totalScrolls,
                           @Range(min = 0, max = InputRules.MAX_SAFE_INTEGER) Long selectionChanges,
                           @Size(max = 64, message = "must have at most {max} entries")
                           Map<@MaxBytes(message = "key is too long") String, @NotNull @Range(min = 0, max = InputRules.MAX_SAFE_INTEGER) Long> screenDurationsMs) {

        ObjectNode normalised() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (totalTaps != null) {
                out.put("totalTaps", totalTaps);
            }
            if (totalScrolls != null) {
                out.put("totalScrolls", totalScrolls);
            }
            if (selectionChanges != null) {
                out.put("selectionChanges", selectionChanges);
            }
            if (screenDurationsMs != null) {
                ObjectNode d = out.putObject("screenDurationsMs");
                screenDurationsMs.forEach(d::put);
            }
            return out;
        }
    }
}
