package kiosk.telemetry.aggregate.archive;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.List;

/**
 * One archive column: its API name, its type, and the stored attribute it comes from. All columns are optional
 * (a record without the field has a null); the type fixes both the Parquet type and the Glue/Athena type, so the
 * two cannot drift apart (the template test compares the Glue tables with {@link #glueType()}).
 */
public record Column(String name, Kind kind, String source, List<Column> fields) {

    public enum Kind {
        /** UTF-8 text. */
        STRING,
        /** A nested object or array kept as its JSON text (contract: nested objects as JSON strings). */
        JSON,
        BIGINT,
        BOOLEAN,
        /** INT64 TIMESTAMP(MILLIS, UTC) from a stored ISO-8601 instant. */
        TIMESTAMP,
        /** INT64 DECIMAL(18,2) from a stored exact number. */
        DECIMAL,
        /** A group of columns (sales {@code amounts}). */
        STRUCT
    }

    public static Column string(String name) {
        return new Column(name, Kind.STRING, name, List.of());
    }

    public static Column json(String name) {
        return new Column(name, Kind.JSON, name, List.of());
    }

    public static Column bigint(String name) {
        return new Column(name, Kind.BIGINT, name, List.of());
    }

    public static Column bool(String name) {
        return new Column(name, Kind.BOOLEAN, name, List.of());
    }

    public static Column timestamp(String name) {
        return new Column(name, Kind.TIMESTAMP, name, List.of());
    }

    public static Column decimal(String name) {
        return new Column(name, Kind.DECIMAL, name, List.of());
    }

    /** A struct whose fields are read from attributes stored flat on the item. */
    public static Column struct(String name, Column... fields) {
        return new Column(name, Kind.STRUCT, null, List.of(fields));
    }

    public static final int PRECISION = 18;
    public static final int SCALE = 2;

    Type parquetType() {
        return switch (kind) {
            case STRING, JSON -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
            case DECIMAL -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.decimalType(SCALE, PRECISION)).named(name);
            case STRUCT -> {
                var group = Types.optionalGroup();
                fields.forEach(f -> group.addField(f.parquetType()));
                yield group.named(name);
            }
        };
    }

    /** The column's type as Glue and Athena spell it. */
    public String glueType() {
        return switch (kind) {
            case STRING, JSON -> "string";
            case BIGINT -> "bigint";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp";
            case DECIMAL -> "decimal(" + PRECISION + "," + SCALE + ")";
            case STRUCT -> "struct<" + String.join(",", fields.stream().map(f -> f.name() + ":" + f.glueType()).toList()) + ">";
        };
    }
}
