package kiosk.telemetry.aggregate.archive;

import kiosk.telemetry.core.store.ArchiveColumn;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** The Parquet type of an archive column; all columns are optional (a record without the field has a null). */
final class ParquetTypes {

    private ParquetTypes() {
    }

    static Type of(ArchiveColumn c) {
        return switch (c.kind()) {
            case STRING, JSON -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64).named(c.name());
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
            case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(c.name());
            case DECIMAL -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.decimalType(ArchiveColumn.SCALE, ArchiveColumn.PRECISION)).named(c.name());
            case STRUCT -> {
                var group = Types.optionalGroup();
                c.fields().forEach(f -> group.addField(of(f)));
                yield group.named(c.name());
            }
        };
    }
}
