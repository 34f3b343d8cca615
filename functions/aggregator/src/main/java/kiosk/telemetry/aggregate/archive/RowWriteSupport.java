package kiosk.telemetry.aggregate.archive;

import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.store.ArchiveColumn;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes stored DynamoDB items as rows of an {@link ArchiveTable}: each column from its attribute, absent
 * attributes as nulls. A value that does not fit its column (an amount with more than 2 decimals, say) throws,
 * which fails the run rather than archiving something else than what is stored.
 */
final class RowWriteSupport extends WriteSupport<Map<String, AttributeValue>> {

    private final ArchiveTable table;
    private RecordConsumer out;

    RowWriteSupport(ArchiveTable table) {
        this.table = table;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        throw new UnsupportedOperationException("the archive writes without Hadoop; use init(ParquetConfiguration)");
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(table.schema(), Map.of());
    }

    @Override
    public String getName() {
        return "kiosk-telemetry";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(Map<String, AttributeValue> item) {
        out.startMessage();
        writeFields(table.columns(), item);
        out.endMessage();
    }

    private void writeFields(List<ArchiveColumn> columns, Map<String, AttributeValue> item) {
        for (int i = 0; i < columns.size(); i++) {
            ArchiveColumn c = columns.get(i);
            if (c.kind() == ArchiveColumn.Kind.STRUCT) {
                if (c.fields().stream().anyMatch(f -> present(item.get(f.source())))) {
                    out.startField(c.name(), i);
                    out.startGroup();
                    writeFields(c.fields(), item);
                    out.endGroup();
                    out.endField(c.name(), i);
                }
                continue;
            }
            AttributeValue v = item.get(c.source());
            if (!present(v)) {
                continue;
            }
            out.startField(c.name(), i);
            switch (c.kind()) {
                case STRING, JSON -> out.addBinary(Binary.fromConstantByteArray(text(c, v).getBytes(StandardCharsets.UTF_8)));
                case BIGINT -> out.addLong(Long.parseLong(number(c, v)));
                case BOOLEAN -> out.addBoolean(v.bool());
                case TIMESTAMP -> out.addLong(Timestamps.parse(text(c, v)).toEpochMilli());
                case DECIMAL -> out.addLong(unscaled(number(c, v)));
                case DOUBLE -> out.addDouble(Double.parseDouble(number(c, v)));
                case DECIMALS -> writeMap(c, v);
                case STRUCT -> throw new IllegalStateException("unreachable");
            }
            out.endField(c.name(), i);
        }
    }

    /** A map in key order (a re-run writes the same bytes); an empty map is an empty map, not a null. */
    private void writeMap(ArchiveColumn c, AttributeValue v) {
        if (!v.hasM()) {
            throw new IllegalStateException("archive column " + c.name() + " expects a map, stored " + v.type());
        }
        out.startGroup();
        if (!v.m().isEmpty()) {
            out.startField(ParquetTypes.KEY_VALUE, 0);
            for (var e : new TreeMap<>(v.m()).entrySet()) {
                out.startGroup();
                out.startField(ParquetTypes.KEY, 0);
                out.addBinary(Binary.fromConstantByteArray(e.getKey().getBytes(StandardCharsets.UTF_8)));
                out.endField(ParquetTypes.KEY, 0);
                if (present(e.getValue())) {
                    out.startField(ParquetTypes.VALUE, 1);
                    out.addLong(unscaled(number(c, e.getValue())));
                    out.endField(ParquetTypes.VALUE, 1);
                }
                out.endGroup();
            }
            out.endField(ParquetTypes.KEY_VALUE, 0);
        }
        out.endGroup();
    }

    private static long unscaled(String number) {
        return new BigDecimal(number).setScale(ArchiveColumn.SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    private static boolean present(AttributeValue v) {
        return v != null && !Boolean.TRUE.equals(v.nul());
    }

    private static String text(ArchiveColumn c, AttributeValue v) {
        if (v.s() == null) {
            throw new IllegalStateException("archive column " + c.name() + " expects a string, stored " + v.type());
        }
        return v.s();
    }

    private static String number(ArchiveColumn c, AttributeValue v) {
        if (v.n() == null) {
            throw new IllegalStateException("archive column " + c.name() + " expects a number, stored " + v.type());
        }
        return v.n();
    }
}
