package kiosk.telemetry.core.store;

import java.util.Arrays;
import java.util.List;

/**
 * One column of an archived table: its name, its type, and the stored attribute it comes from. Columns of stored
 * records take name and type from their {@link Attribute}, so an archive column cannot drift from what is stored.
 * All columns are optional (a record without the attribute has a null). The type fixes both the Parquet type and
 * the Glue/Athena type ({@link #glueType()}, compared with the template's Glue tables by a test).
 */
public record ArchiveColumn(String name, Kind kind, String source, List<ArchiveColumn> fields) {

    public enum Kind {
        /** UTF-8 text. */
        STRING,
        /** A nested object or array kept as its JSON text (nested objects as JSON strings). */
        JSON,
        BIGINT,
        BOOLEAN,
        /** INT64 TIMESTAMP(MILLIS, UTC) from a stored ISO-8601 instant. */
        TIMESTAMP,
        /** INT64 DECIMAL(18,2) from a stored exact number. */
        DECIMAL,
        /** A DOUBLE from a number (a summary's ratio). */
        DOUBLE,
        /** A map of text keys to DECIMAL(18,2) values, from a map of numbers (a summary's amounts per currency). */
        DECIMALS,
        /** A group of columns read from attributes stored flat on the item (sales {@code amounts}). */
        STRUCT
    }

    public static final int PRECISION = 18;
    public static final int SCALE = 2;

    /** The column of a stored attribute: same name, type from how it is stored. */
    public static ArchiveColumn of(Attribute<?> attribute) {
        Kind kind = switch (attribute.type()) {
            case TEXT, DATE -> Kind.STRING;
            case JSON -> Kind.JSON;
            case NUMBER -> Kind.BIGINT;
            case DECIMAL -> Kind.DECIMAL;
            case FLAG -> Kind.BOOLEAN;
            case INSTANT -> Kind.TIMESTAMP;
            case COUNTS -> throw new IllegalArgumentException("no archive column type for counts: " + attribute.name());
        };
        return new ArchiveColumn(attribute.name(), kind, attribute.name(), List.of());
    }

    /** The columns of stored attributes, in order. */
    public static List<ArchiveColumn> columns(Attribute<?>... attributes) {
        return Arrays.stream(attributes).map(ArchiveColumn::of).toList();
    }

    /** A text column of a value that is not a stored attribute (a summary's field). */
    public static ArchiveColumn string(String name) {
        return new ArchiveColumn(name, Kind.STRING, name, List.of());
    }

    /** A column holding a nested value as JSON text (a summary's field). */
    public static ArchiveColumn json(String name) {
        return new ArchiveColumn(name, Kind.JSON, name, List.of());
    }

    /** A whole-number column of a value that is not a stored attribute (a summary's count). */
    public static ArchiveColumn bigint(String name) {
        return new ArchiveColumn(name, Kind.BIGINT, name, List.of());
    }

    /** A DOUBLE column of a value that is not a stored attribute (a summary's ratio). */
    public static ArchiveColumn fraction(String name) {
        return new ArchiveColumn(name, Kind.DOUBLE, name, List.of());
    }

    /** A column of text keys to exact amounts (a summary's amount per currency). */
    public static ArchiveColumn decimals(String name) {
        return new ArchiveColumn(name, Kind.DECIMALS, name, List.of());
    }

    /** A struct column whose fields are stored flat on the item. */
    public static ArchiveColumn struct(String name, Attribute<?>... fields) {
        return new ArchiveColumn(name, Kind.STRUCT, null, columns(fields));
    }

    /** The column's type as Glue and Athena spell it. */
    public String glueType() {
        return switch (kind) {
            case STRING, JSON -> "string";
            case BIGINT -> "bigint";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp";
            case DECIMAL -> "decimal(" + PRECISION + "," + SCALE + ")";
            case DOUBLE -> "double";
            case DECIMALS -> "map<string,decimal(" + PRECISION + "," + SCALE + ")>";
            case STRUCT -> "struct<" + String.join(",", fields.stream().map(f -> f.name() + ":" + f.glueType()).toList()) + ">";
        };
    }
}
