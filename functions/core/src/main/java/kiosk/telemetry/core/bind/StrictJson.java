package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Jackson configured for request records, strictly: no scalar coercion ({@code "5"} is not a number, {@code 1} not a
 * boolean or a string, {@code 1.5} not an integer), numbers bound exactly, enums by name only, unknown fields
 * ignored. Duplicate keys are refused earlier, when the body is parsed ({@link Json#parseObject}).
 * <p>
 * Own code, because Jackson stops at the first mismatch and the contract names every bad field at once: each
 * value's deserializer is wrapped so that a mismatch is recorded with its path and the value bound as null,
 * and binding goes on. Bean Validation then judges the bound record.
 */
final class StrictJson {

    private static final String ERRORS = "kiosk.bind.errors";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new SimpleModule("strict-request-values")
                    .addDeserializer(Instant.class, new TimestampDeserializer())
                    .addDeserializer(LocalDate.class, new DateDeserializer())
                    .setDeserializerModifier(new Collecting()))
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private StrictJson() {
    }

    /** The record bound from {@code node}; null where a value did not fit its type, each such value added to {@code errors}. */
    static <T> T bind(JsonNode node, Class<T> type, List<FieldError> errors) {
        ObjectReader reader = MAPPER.readerFor(type).withAttribute(ERRORS, errors);
        try {
            return reader.readValue(node);
        } catch (IOException e) {
            errors.add(new FieldError("", "must be a JSON object"));
            return null;
        }
    }

    /** Wraps every value deserializer in {@link Recording}. */
    private static final class Collecting extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
            return new Recording(d, desc.getType());
        }

        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription desc,
                                                          JsonDeserializer<?> d) {
            return new Recording(d, type);
        }

        @Override
        public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                                                                BeanDescription desc, JsonDeserializer<?> d) {
            return new Recording(d, type);
        }

        @Override
        public JsonDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type, BeanDescription desc,
                                                           JsonDeserializer<?> d) {
            return new Recording(d, type);
        }

        @Override
        public JsonDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type, BeanDescription desc,
                                                         JsonDeserializer<?> d) {
            return new Recording(d, type);
        }
    }

    /** A value that does not fit is recorded (path and the contract's wording) and bound as null. */
    private static final class Recording extends DelegatingDeserializer {
        private final JavaType type;

        Recording(JsonDeserializer<?> delegate, JavaType type) {
            super(delegate);
            this.type = type;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Recording(delegate, type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            List<FieldError> errors = (List<FieldError>) ctxt.getAttribute(ERRORS);
            if (errors == null) {
                return super.deserialize(p, ctxt);
            }
            JsonToken token = p.currentToken();
            JsonStreamContext at = token.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
            try {
                return super.deserialize(p, ctxt);
            } catch (JsonProcessingException e) {
                errors.add(new FieldError(path(at), message(token)));
                if (token.isStructStart()) {
                    while (!(p.getParsingContext() == at && p.currentToken() != null && p.currentToken().isStructEnd())) {
                        if (p.nextToken() == null) {
                            break;
                        }
                    }
                }
                return null;
            }
        }

        private String message(JsonToken token) {
            Class<?> raw = type.getRawClass();
            boolean text = raw == String.class || raw == Instant.class || raw == LocalDate.class || raw.isEnum();
            if (text && token != JsonToken.VALUE_STRING) {
                return "must be a string";
            }
            if (raw == Instant.class) {
                return "must be an ISO-8601 timestamp with an offset or Z";
            }
            if (raw == LocalDate.class) {
                return "must be a date YYYY-MM-DD";
            }
            if (raw.isEnum()) {
                TreeSet<String> names = new TreeSet<>();
                Arrays.stream(raw.getEnumConstants()).forEach(c -> names.add(((Enum<?>) c).name()));
                return "must be one of " + String.join(", ", names);
            }
            if (raw == Long.class || raw == Integer.class || raw == long.class || raw == int.class) {
                return "must be an integer";
            }
            if (raw == Boolean.class || raw == boolean.class) {
                return "must be a boolean";
            }
            if (raw == BigDecimal.class) {
                return "must be a number";
            }
            if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
                return "must be an array";
            }
            if (Map.class.isAssignableFrom(raw) || raw.isRecord()) {
                return "must be a JSON object";
            }
            return "is invalid";
        }
    }

    /** {@code events[3].timestamp} for the value the parser is at, relative to the bound root. */
    static String path(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i);
            if (sb.length() > 0 && !part.startsWith("[")) {
                sb.append('.');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * The contract's timestamp: ISO-8601 with an offset or Z, kept at millisecond precision. Own code, because
     * Jackson's own {@link Instant} reader also takes epoch numbers and offset-less forms the contract refuses.
     */
    private static final class TimestampDeserializer extends StdScalarDeserializer<Instant> {
        TimestampDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return Timestamps.truncate(OffsetDateTime.parse(p.getText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                throw ctxt.weirdStringException(p.getText(), Instant.class, "not an ISO-8601 timestamp with an offset");
            }
        }
    }

    /** A calendar date, exactly {@code YYYY-MM-DD} (Jackson's own reader also takes numbers and arrays). */
    private static final class DateDeserializer extends StdScalarDeserializer<LocalDate> {
        DateDeserializer() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (LocalDate) ctxt.handleUnexpectedToken(LocalDate.class, p);
            }
            String s = p.getText();
            try {
                if (s.length() == 10) {
                    return LocalDate.parse(s);
                }
            } catch (DateTimeParseException e) {
                // refused below
            }
            throw ctxt.weirdStringException(s, LocalDate.class, "not a date YYYY-MM-DD");
        }
    }
}
