package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One stored attribute of a record: its name and how a value of type {@code T} is written to and read from a
 * DynamoDB attribute value. The record definitions of this package declare every attribute the service stores;
 * readers and writers use them instead of names of their own.
 *
 * @param <T> the attribute's Java type
 */
public final class Attribute<T> {

    /** How a value is stored; also fixes its archive column type ({@link ArchiveColumn#of}). */
    public enum Type {
        /** A DynamoDB string. */
        TEXT,
        /** A DynamoDB number holding a whole number. */
        NUMBER,
        /** A DynamoDB number holding an exact decimal. */
        DECIMAL,
        /** A DynamoDB boolean. */
        FLAG,
        /** An instant as an ISO-8601 string in UTC with milliseconds (sortable as text). */
        INSTANT,
        /** A date as an ISO-8601 string. */
        DATE,
        /** A nested object or array as its JSON text. */
        JSON,
        /** A DynamoDB map of names to whole numbers. */
        COUNTS
    }

    private final String name;
    private final Type type;
    private final Function<T, AttributeValue> write;
    private final Function<AttributeValue, T> read;

    private Attribute(String name, Type type, Function<T, AttributeValue> write, Function<AttributeValue, T> read) {
        this.name = name;
        this.type = type;
        this.write = write;
        this.read = read;
    }

    public static Attribute<String> text(String name) {
        return new Attribute<>(name, Type.TEXT, AttributeValue::fromS, AttributeValue::s);
    }

    public static Attribute<Long> number(String name) {
        return new Attribute<>(name, Type.NUMBER, v -> AttributeValue.fromN(Long.toString(v)),
                v -> v.n() == null ? null : Long.parseLong(v.n()));
    }

    public static Attribute<BigDecimal> decimal(String name) {
        return new Attribute<>(name, Type.DECIMAL, v -> AttributeValue.fromN(v.toPlainString()),
                v -> v.n() == null ? null : new BigDecimal(v.n()));
    }

    public static Attribute<Boolean> flag(String name) {
        return new Attribute<>(name, Type.FLAG, AttributeValue::fromBool, AttributeValue::bool);
    }

    public static Attribute<Instant> instant(String name) {
        return new Attribute<>(name, Type.INSTANT, v -> AttributeValue.fromS(Timestamps.format(v)),
                v -> v.s() == null ? null : Timestamps.parse(v.s()));
    }

    public static Attribute<LocalDate> date(String name) {
        return new Attribute<>(name, Type.DATE, v -> AttributeValue.fromS(v.toString()),
                v -> v.s() == null ? null : LocalDate.parse(v.s()));
    }

    public static Attribute<JsonNode> json(String name) {
        return new Attribute<>(name, Type.JSON, v -> AttributeValue.fromS(Json.write(v)),
                v -> v.s() == null ? null : Json.readStored(v.s()));
    }

    public static Attribute<Map<String, Long>> counts(String name) {
        return new Attribute<>(name, Type.COUNTS, v -> {
            Map<String, AttributeValue> m = new TreeMap<>();
            v.forEach((k, n) -> m.put(k, AttributeValue.fromN(Long.toString(n))));
            return AttributeValue.fromM(m);
        }, v -> {
            if (!v.hasM()) {
                return null;
            }
            Map<String, Long> m = new TreeMap<>();
            v.m().forEach((k, n) -> m.put(k, Long.parseLong(n.n())));
            return m;
        });
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The stored form of {@code value}. */
    public AttributeValue value(T value) {
        return write.apply(Objects.requireNonNull(value, name));
    }

    /** The value a stored attribute value holds; null for null or a value of another DynamoDB type. */
    public T from(AttributeValue stored) {
        return stored == null || Boolean.TRUE.equals(stored.nul()) ? null : read.apply(stored);
    }

    /** This attribute's value in {@code item}, or null when the item has none. */
    public T get(Map<String, AttributeValue> item) {
        return from(item.get(name));
    }

    /** This attribute's value in {@code item}, or {@code absent} when the item has none. */
    public T get(Map<String, AttributeValue> item, T absent) {
        T v = get(item);
        return v == null ? absent : v;
    }

    /**
     * The stored text of an attribute kept as text (an instant, a date, a text), as it is, or null: for views that
     * return the stored form without decoding it.
     */
    public String storedText(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** Puts {@code value} into {@code item}; a null value leaves the attribute out. */
    public void put(Map<String, AttributeValue> item, T value) {
        if (value != null) {
            item.put(name, value(value));
        }
    }

    /** A one-attribute key ({@code {name: value}}). */
    public Map<String, AttributeValue> key(T value) {
        return Map.of(name, value(value));
    }

    /** A two-attribute key: this attribute (the partition key) and {@code sort}. */
    public <S> Map<String, AttributeValue> key(T value, Attribute<S> sort, S sortValue) {
        return Map.of(name, value(value), sort.name, sort.value(sortValue));
    }

    @Override
    public String toString() {
        return name;
    }
}
