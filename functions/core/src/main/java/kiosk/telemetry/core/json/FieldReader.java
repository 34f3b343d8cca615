package kiosk.telemetry.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.FieldError;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads typed fields out of a JSON object with the contract's strict rules: no type coercion ({@code "5"} is
 * not an integer, {@code 1} is not a boolean), integers up to 2^53 - 1, strings and nested objects within
 * their byte limits, UUID ids, ISO-8601 timestamps with an offset inside the accepted window. Unknown fields
 * are ignored. Every problem is collected with its full path ({@code events[3].timestamp}); call
 * {@link #throwIfInvalid()} once all fields are read so a client learns about all of them at once.
 * <p>
 * A getter returns {@code null} for an absent or invalid field; the error is already recorded.
 */
public final class FieldReader {

    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final BigDecimal AMOUNT_LIMIT = new BigDecimal("1E16");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

    private final JsonNode node;
    private final String path;
    private final InputRules rules;
    private final List<FieldError> errors;

    private FieldReader(JsonNode node, String path, InputRules rules, List<FieldError> errors) {
        this.node = node;
        this.path = path;
        this.rules = rules;
        this.errors = errors;
    }

    public static FieldReader of(ObjectNode body, InputRules rules) {
        return new FieldReader(body, "", rules, new ArrayList<>());
    }

    /** A reader for one item of a batch: its errors are its own, its paths relative to the item. */
    public static FieldReader item(JsonNode item, InputRules rules) {
        FieldReader r = new FieldReader(item, "", rules, new ArrayList<>());
        if (!item.isObject()) {
            r.errors.add(new FieldError("", "must be a JSON object"));
        }
        return r;
    }

    public InputRules rules() {
        return rules;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    public void reject(String field, String message) {
        errors.add(new FieldError(qualify(field), message));
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** True when the field is present with an explicit JSON {@code null}. */
    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    private String qualify(String field) {
        if (path.isEmpty()) {
            return field;
        }
        return field.startsWith("[") ? path + field : path + "." + field;
    }

    private JsonNode value(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        return v;
    }

    // ---- strings

    public String string(String field, boolean required) {
        return string(field, required, rules.maxStringBytes());
    }

    public String string(String field, boolean required, int maxBytes) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            reject(field, "must be a string");
            return null;
        }
        String s = v.textValue();
        if (required && s.isEmpty()) {
            reject(field, "must not be empty");
            return null;
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            reject(field, "must be at most " + maxBytes + " bytes");
            return null;
        }
        return s;
    }

    /**
     * An optional string that, when given, must not be empty: a store or group id (an empty one would name no
     * store, and cannot be stored as an index key).
     */
    public String nonEmpty(String field, int maxBytes) {
        String s = string(field, false, maxBytes);
        if (s != null && s.isEmpty()) {
            reject(field, "must not be empty; leave it out instead");
            return null;
        }
        return s;
    }

    public String matching(String field, boolean required, Pattern pattern, String description) {
        String s = string(field, required);
        if (s != null && !pattern.matcher(s).matches()) {
            reject(field, "must be " + description);
            return null;
        }
        return s;
    }

    /** A kiosk-created id: a v4 or v7 UUID, returned in canonical lower case. */
    public String uuid(String field, boolean required) {
        String s = string(field, required);
        if (s == null) {
            return null;
        }
        String canonical = s.toLowerCase(Locale.ROOT);
        if (!UUID.matcher(canonical).matches()) {
            reject(field, "must be a UUID (version 4 or 7)");
            return null;
        }
        return canonical;
    }

    /** One of the allowed values, compared exactly. */
    public String oneOf(String field, boolean required, Set<String> allowed) {
        String s = string(field, required);
        if (s != null && !allowed.contains(s)) {
            reject(field, "must be one of " + String.join(", ", new TreeSet<>(allowed)));
            return null;
        }
        return s;
    }


    // ---- numbers and booleans

    public Long integer(String field, boolean required, long min, long max) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            reject(field, "must be an integer");
            return null;
        }
        BigInteger big = v.bigIntegerValue();
        long upper = Math.min(max, MAX_SAFE_INTEGER);
        if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(upper)) > 0) {
            reject(field, "must be an integer from " + min + " to " + upper);
            return null;
        }
        return big.longValue();
    }

    public Boolean bool(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            reject(field, "must be a boolean");
            return null;
        }
        return v.booleanValue();
    }

    /** A money amount: an exact JSON number, 0 or more, below 10^16, with at most 2 fraction digits. */
    public BigDecimal amount(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            reject(field, "must be a number");
            return null;
        }
        BigDecimal d = v.decimalValue();
        if (d.signum() < 0) {
            reject(field, "must be 0 or more");
            return null;
        }
        if (d.compareTo(AMOUNT_LIMIT) >= 0) {
            reject(field, "must be less than 10^16");
            return null;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() > 2) {
            reject(field, "must have at most 2 fraction digits");
            return null;
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    // ---- time

    /** An ISO-8601 instant with an offset or Z, inside the accepted window; millisecond precision. */
    public Instant timestamp(String field, boolean required) {
        String s = string(field, required);
        if (s == null) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            reject(field, "must be an ISO-8601 timestamp with an offset or Z");
            return null;
        }
        if (t.isAfter(rules.latest())) {
            reject(field, "must be at most " + rules.maxFutureSkew().toMinutes() + " minutes in the future");
            return null;
        }
        if (t.isBefore(rules.earliest())) {
            reject(field, "must be at most " + rules.maxPastAge().toDays() + " days in the past");
            return null;
        }
        return Timestamps.truncate(t);
    }

    /** A calendar date {@code YYYY-MM-DD}. */
    public LocalDate date(String field, boolean required) {
        String s = string(field, required);
        if (s == null) {
            return null;
        }
        try {
            if (s.length() != 10) {
                throw new DateTimeParseException("length", s, 0);
            }
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            reject(field, "must be a date YYYY-MM-DD");
            return null;
        }
    }

    // ---- nested values

    /**
     * A free-form JSON object (properties, context, ...) within the object size limit. Its numbers are kept
     * exactly as sent (a zero as 0) and written back as plain numbers, so each must lie within the range of a
     * double (0, or a magnitude from about 4.9e-324 to 1.8e308): {@code 1e99999} would be stored but could never be
     * written back out.
     */
    public ObjectNode freeObject(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            reject(field, "must be a JSON object");
            return null;
        }
        int size = Json.serializedSize(v);
        if (size > rules.maxObjectBytes()) {
            reject(field, "must be at most " + rules.maxObjectBytes() + " bytes serialized, is " + size);
            return null;
        }
        int before = errors.size();
        checkNumbers(v, qualify(field));
        return errors.size() == before ? (ObjectNode) v : null;
    }

    private void checkNumbers(JsonNode v, String at) {
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            double approx = d.doubleValue();
            if (d.signum() != 0 && (Double.isInfinite(approx) || approx == 0)) {
                errors.add(new FieldError(at, "must be within the range of a double (magnitude 4.9e-324 to 1.8e308)"));
            }
            return;
        }
        if (v.isObject()) {
            for (var f : v.properties()) {
                checkNumbers(f.getValue(), at + "." + f.getKey());
            }
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                checkNumbers(v.get(i), at + "[" + i + "]");
            }
        }
    }

    /** A structured nested object read field by field; null when absent or not an object. */
    public FieldReader object(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            reject(field, "must be a JSON object");
            return null;
        }
        return new FieldReader(v, qualify(field), rules, errors);
    }

    /** The elements of an array as readers of their own paths ({@code field[i]}). */
    public List<FieldReader> array(String field, boolean required, int maxItems) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            reject(field, "must be an array");
            return null;
        }
        ArrayNode a = (ArrayNode) v;
        if (a.size() > maxItems) {
            reject(field, "must have at most " + maxItems + " items, has " + a.size());
            return null;
        }
        List<FieldReader> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String p = qualify(field) + "[" + i + "]";
            JsonNode item = a.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(p, "must be a JSON object"));
                continue;
            }
            out.add(new FieldReader(item, p, rules, errors));
        }
        return out;
    }

    /** An object whose values are all integers in range (for example {@code screenDurationsMs}). */
    public Map<String, Long> integerMap(String field, boolean required, long min, long max, int maxEntries) {
        FieldReader o = object(field, required);
        if (o == null) {
            return null;
        }
        if (o.node.size() > maxEntries) {
            reject(field, "must have at most " + maxEntries + " entries");
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        var names = o.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.getBytes(StandardCharsets.UTF_8).length > rules.maxStringBytes()) {
                o.reject(name, "key is too long");
                continue;
            }
            Long n = o.integer(name, true, min, max);
            if (n != null) {
                out.put(name, n);
            }
        }
        return out;
    }
}
