package kiosk.telemetry.aggregate.archive;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet's GZIP codec on {@code java.util.zip}: no Hadoop codec classes, no JNI, nothing found by reflection,
 * so it behaves the same in a native image. Java's gzip header carries no timestamp, so equal pages compress to
 * equal bytes (the archive's byte-identical re-runs rely on it).
 */
final class GzipCodecs implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        require(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.max(64, bytes.size() / 4));
                try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
                    bytes.writeAllTo(gz);
                }
                return BytesInput.from(buf.toByteArray());
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.GZIP;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        require(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                try (InputStream in = new GZIPInputStream(bytes.toInputStream())) {
                    return BytesInput.from(in.readNBytes(uncompressedSize));
                }
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                    output.put(gz.readNBytes(uncompressedSize));
                }
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    private static void require(CompressionCodecName codec) {
        if (codec != CompressionCodecName.GZIP) {
            throw new IllegalArgumentException("the archive writes GZIP only, asked for " + codec);
        }
    }
}
