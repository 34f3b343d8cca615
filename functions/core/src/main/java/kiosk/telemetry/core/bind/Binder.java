package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.FieldError;
import org.hibernate.validator.HibernateValidatorFactory;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a JSON object to a request record ({@link StrictJson}) and validates it with Bean Validation. The errors
 * come out as the contract shows them: one per field (a type mismatch before any constraint, then the first
 * constraint violated in the order they are written), ordered as the record declares its fields, nested paths as {@code funnel.stages[1].stage}.
 */
@ApplicationScoped
public class Binder {

    private static final Pattern SEGMENT = Pattern.compile("\\[(\\d+)]|([^.\\[]+)");

    private final HibernateValidatorFactory validators;
    private final Clock clock;
    private final TelemetryConfig.Limits limits;

    @Inject
    public Binder(ValidatorFactory validators, Clock clock, TelemetryConfig config) {
        this(validators, clock, config.limits());
    }

    public Binder(ValidatorFactory validators, Clock clock, TelemetryConfig.Limits limits) {
        this.validators = validators.unwrap(HibernateValidatorFactory.class);
        this.clock = clock;
        this.limits = limits;
    }

    /** A binder outside a container (plain tests, benchmarks): Bean Validation bootstrapped by hand. */
    public static Binder standalone(TelemetryConfig config, Clock clock) {
        return new Binder(Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory(), clock, config);
    }

    /** Binds and validates {@code node}; the constraints judge against the limits and the clock's time now. */
    public <T> Bound<T> bind(JsonNode node, Class<T> type) {
        List<FieldError> found = new ArrayList<>();
        T value = StrictJson.bind(node, type, found);
        if (value != null) {
            Validator validator = validators.usingContext()
                    .constraintValidatorPayload(InputRules.of(limits, clock.instant())).getValidator();
            validator.validate(value).stream()
                    .sorted(Comparator.comparingInt(Binder::rank))
                    .forEach(v -> found.add(new FieldError(path(v), v.getMessage())));
        }
        Set<String> seen = new HashSet<>();
        List<FieldError> errors = new ArrayList<>();
        for (FieldError e : found) {
            if (seen.add(e.field())) {
                errors.add(e);
            }
        }
        errors.sort(Comparator.comparing(e -> declarationOrder(type, e.field()), Binder::compare));
        return new Bound<>(value, errors, node);
    }

    /**
     * Where the violated constraint is declared on its field: a field's constraints are checked in the order they
     * are written ({@code @NotNull} first), and the first one violated is the one reported.
     */
    private static int rank(ConstraintViolation<?> v) {
        Annotation a = v.getConstraintDescriptor().getAnnotation();
        String name = null;
        for (Path.Node n : v.getPropertyPath()) {
            name = n.getName();
        }
        Object leaf = v.getLeafBean();
        if (leaf == null || name == null) {
            return 0;
        }
        try {
            Annotation[] declared = leaf.getClass().getDeclaredField(name).getAnnotations();
            for (int i = 0; i < declared.length; i++) {
                if (declared[i].equals(a)) {
                    return i;
                }
            }
        } catch (NoSuchFieldException e) {
            return Integer.MAX_VALUE;
        }
        return Integer.MAX_VALUE;
    }

    private static String path(ConstraintViolation<?> v) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node n : v.getPropertyPath()) {
            if (n.isInIterable()) {
                if (n.getIndex() != null) {
                    sb.append('[').append(n.getIndex()).append(']');
                } else if (n.getKey() != null) {
                    sb.append('.').append(n.getKey());
                }
            }
            if (n.getKind() == ElementKind.PROPERTY && n.getName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(n.getName());
            }
        }
        return sb.toString();
    }

    /** The position of each segment of {@code field} in the record's declarations (indexes as given). */
    private static List<Integer> declarationOrder(Class<?> root, String field) {
        List<Integer> key = new ArrayList<>();
        Type at = root;
        Matcher m = SEGMENT.matcher(field);
        while (m.find()) {
            if (m.group(1) != null) {
                key.add(Integer.parseInt(m.group(1)));
                at = argument(at, 0);
                continue;
            }
            Class<?> raw = raw(at);
            int index = Integer.MAX_VALUE;
            Type next = null;
            if (raw != null && raw.isRecord()) {
                RecordComponent[] components = raw.getRecordComponents();
                for (int i = 0; i < components.length; i++) {
                    if (components[i].getName().equals(m.group(2))) {
                        index = i;
                        next = unwrapOptional(components[i].getGenericType());
                    }
                }
            } else if (raw != null && Map.class.isAssignableFrom(raw)) {
                index = 0;
                next = argument(at, 1);
            }
            key.add(index);
            at = next;
        }
        return key;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static Type unwrapOptional(Type t) {
        return raw(t) == Optional.class ? argument(t, 0) : t;
    }

    private static Type argument(Type t, int i) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i
                && (Collection.class.isAssignableFrom(raw(p)) || Map.class.isAssignableFrom(raw(p)) || raw(p) == Optional.class)) {
            return p.getActualTypeArguments()[i];
        }
        return null;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        return t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
    }
}
