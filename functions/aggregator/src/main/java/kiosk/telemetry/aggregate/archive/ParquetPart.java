package kiosk.telemetry.aggregate.archive;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Parquet file being written to a local work file, row by row: memory holds at most one row group. The file
 * is created at the first row, so a shard without rows leaves no file. Not thread-safe: one per day shard.
 */
final class ParquetPart implements AutoCloseable {

    private final ArchiveTable table;
    private final Path file;
    private final int rowGroupBytes;
    private ParquetWriter<Map<String, AttributeValue>> writer;
    private long rows;

    ParquetPart(ArchiveTable table, Path file, int rowGroupBytes) {
        this.table = table;
        this.file = file;
        this.rowGroupBytes = rowGroupBytes;
    }

    void add(Map<String, AttributeValue> item) {
        try {
            if (writer == null) {
                Files.deleteIfExists(file);
                writer = new Builder(new LocalOutputFile(file), table)
                        .withConf(new PlainParquetConfiguration())
                        .withCodecFactory(new GzipCodecs())
                        .withCompressionCodec(CompressionCodecName.GZIP)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withRowGroupSize((long) rowGroupBytes)
                        .withDictionaryEncoding(true)
                        .build();
            }
            writer.write(item);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    long rows() {
        return rows;
    }

    Path file() {
        return file;
    }

    /** Finishes the file (footer written); true when it holds rows. */
    boolean finish() {
        if (writer == null) {
            return false;
        }
        try {
            writer.close();
            writer = null;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("finishing " + file, e);
        }
    }

    /** Drops the local file, finished or not. */
    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        } catch (IOException | RuntimeException ignored) {
            // the file is deleted below; a half-written file is never uploaded
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting work file " + file, e);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Map<String, AttributeValue>, Builder> {
        private final ArchiveTable table;

        Builder(LocalOutputFile file, ArchiveTable table) {
            super(file);
            this.table = table;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Map<String, AttributeValue>> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(table);
        }

        @Override
        protected WriteSupport<Map<String, AttributeValue>> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(table);
        }
    }
}
