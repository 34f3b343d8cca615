package kiosk.telemetry.session.sale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import kiosk.telemetry.core.bind.InWindow;
import kiosk.telemetry.core.bind.Uuid;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;

/** {@code POST /api/sales}: exact amounts that add up, a real ISO 4217 currency, a known payment method. */
@RegisterForReflection
public record SaleRequest(@NotNull @Uuid String saleId, @NotNull @Uuid String sessionId, @NotNull @InWindow Instant soldAt,
                          @NotNull @CurrencyCode String currency, @NotNull PaymentMethod paymentMethod,
                          @NotNull @Valid Amounts amounts, @Valid Settlement settlement) {

    /** Money: an exact JSON number, 0 or more, below 10^16, with at most 2 fraction digits (DECIMAL(18,2)). */
    @RegisterForReflection
    @Amounts.AddUp
    public record Amounts(
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "1E16", inclusive = false, message = "must be less than 10^16")
            @Digits(integer = 16, fraction = 2, message = "must have at most 2 fraction digits") BigDecimal gross,
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "1E16", inclusive = false, message = "must be less than 10^16")
            @Digits(integer = 16, fraction = 2, message = "must have at most 2 fraction digits") BigDecimal discount,
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "1E16", inclusive = false, message = "must be less than 10^16")
            @Digits(integer = 16, fraction = 2, message = "must have at most 2 fraction digits") BigDecimal tax,
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "1E16", inclusive = false, message = "must be less than 10^16")
            @Digits(integer = 16, fraction = 2, message = "must have at most 2 fraction digits") BigDecimal net,
            @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "1E16", inclusive = false, message = "must be less than 10^16")
            @Digits(integer = 16, fraction = 2, message = "must have at most 2 fraction digits") BigDecimal margin) {

        /** The stored amounts: each in its shortest exact form ({@code 1.50} as {@code 1.5}, {@code 1E+2} as {@code 100}). */
        Sale.Amounts stored() {
            return new Sale.Amounts(plain(gross), plain(discount), plain(tax), plain(net), plain(margin));
        }

        private static BigDecimal plain(BigDecimal d) {
            if (d == null) {
                return null;
            }
            BigDecimal stripped = d.stripTrailingZeros();
            return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }

        /** {@code discount <= gross} and {@code net = gross - discount - tax}: a rule across fields, so a constraint on the record. */
        @Constraint(validatedBy = AddUpValidator.class)
        @Target(ElementType.TYPE)
        @Retention(RetentionPolicy.RUNTIME)
        @interface AddUp {
            String message() default "must add up";

            Class<?>[] groups() default {};

            Class<? extends Payload>[] payload() default {};
        }

        public static class AddUpValidator implements ConstraintValidator<AddUp, Amounts> {
            private static final BigDecimal LIMIT = new BigDecimal("1E16");

            @Override
            public boolean isValid(Amounts a, ConstraintValidatorContext context) {
                if (!fine(a.gross()) || !fine(a.discount())) {
                    return true;
                }
                String field;
                String refusal;
                if (a.discount().compareTo(a.gross()) > 0) {
                    field = "discount";
                    refusal = "must not be greater than gross";
                } else if (fine(a.tax()) && fine(a.net())
                        && a.gross().subtract(a.discount()).subtract(a.tax()).compareTo(a.net()) != 0) {
                    field = "net";
                    refusal = "must equal gross - discount - tax = " + a.gross().subtract(a.discount()).subtract(a.tax()).toPlainString();
                } else {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(refusal).addPropertyNode(field).addConstraintViolation();
                return false;
            }

            /** Only amounts that passed their own checks are added up (an invalid one is already named). */
            private static boolean fine(BigDecimal d) {
                return d != null && d.signum() >= 0 && d.compareTo(LIMIT) < 0 && d.stripTrailingZeros().scale() <= 2;
            }
        }
    }

    @RegisterForReflection
    public record Settlement(@Pattern(regexp = "^[a-z][a-z_]{0,31}$", message = "must be a lower-case word such as pending or settled") String status,
                             LocalDate scheduledDate) {

        /** The stored form: only the contract's fields. */
        ObjectNode stored() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (status != null) {
                out.put("status", status);
            }
            if (scheduledDate != null) {
                out.put("scheduledDate", scheduledDate.toString());
            }
            return out;
        }
    }

    /** Three upper-case letters that name an ISO 4217 currency ({@code @Pattern} cannot know which codes exist). */
    @Constraint(validatedBy = CurrencyCodeValidator.class)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    @interface CurrencyCode {
        String message() default "must be an ISO 4217 code such as KRW";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    public static class CurrencyCodeValidator implements ConstraintValidator<CurrencyCode, String> {
        @Override
        public boolean isValid(String code, ConstraintValidatorContext context) {
            if (code == null) {
                return true;
            }
            if (!code.matches("[A-Z]{3}")) {
                return false;
            }
            try {
                Currency.getInstance(code);
                return true;
            } catch (IllegalArgumentException e) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("is not an ISO 4217 currency code").addConstraintViolation();
                return false;
            }
        }
    }
}
