package kiosk.telemetry.aggregate.archive;

import kiosk.telemetry.core.store.ArchiveColumn;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet type of an archive column; all columns are optional (a record without the field has a null). A map
 * column has the standard three-level layout ({@code key_value} groups of a required {@code key} and an optional
 * {@code value}), which Athena and DuckDB both read as a map.
 */
final class ParquetTypes {

    static final String KEY_VALUE = "key_value";
    static final String KEY = "key";
    static final String VALUE = "value";

    private ParquetTypes() {
    }

    private static Type decimal(Types.PrimitiveBuilder<PrimitiveType> int64, String name) {
        return int64.as(LogicalTypeAnnotation.decimalType(ArchiveColumn.SCALE, ArchiveColumn.PRECISION)).named(name);
    }

    static Type of(ArchiveColumn c) {
        return switch (c.kind()) {
            case STRING, JSON -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64).named(c.name());
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
            case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(c.name());
            case DECIMAL -> decimal(Types.optional(PrimitiveTypeName.INT64), c.name());
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(c.name());
            case DECIMALS -> Types.optionalGroup().as(LogicalTypeAnnotation.mapType())
                    .addField(Types.repeatedGroup()
                            .addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(KEY))
                            .addField(decimal(Types.optional(PrimitiveTypeName.INT64), VALUE))
                            .named(KEY_VALUE))
                    .named(c.name());
            case STRUCT -> {
                var group = Types.optionalGroup();
                c.fields().forEach(f -> group.addField(of(f)));
                yield group.named(c.name());
            }
        };
    }
}
