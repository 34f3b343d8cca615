package kiosk.telemetry.aggregate.archive;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;

/**
 * Parquet's GZIP codec on {@code java.util.zip}: no Hadoop codec classes, no JNI, nothing found by reflection,
 * so it behaves the same in a native image. It writes what {@link java.util.zip.GZIPOutputStream} writes, byte for
 * byte (a header without timestamp, so equal pages compress to equal bytes, which the archive's byte-identical
 * re-runs rely on), but each compressor keeps one {@link Deflater} for all the pages of its file instead of a new
 * deflater (with its native state) and a 64 KB buffer per page.
 * <p>
 * One factory per Parquet file, used by the thread writing it; {@link #release()} (called when the file is
 * closed) frees the deflaters' native memory.
 */
final class GzipCodecs implements CompressionCodecFactory {

    /** Magic, CM = deflate, no flags, no modification time, no extra flags, OS unknown: as GZIPOutputStream writes it. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int CHUNK = 8 * 1024;

    private final List<Deflater> deflaters = new ArrayList<>();

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        require(codec);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflaters.add(deflater);
        return new BytesInputCompressor() {
            private final CRC32 crc = new CRC32();

            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, bytes.size() / 4));
                out.write(HEADER);
                deflater.reset();
                crc.reset();
                // fed as GZIPOutputStream feeds its deflater; finish() leaves a deflater that was passed in open
                DeflaterOutputStream deflated = new DeflaterOutputStream(out, deflater, CHUNK);
                bytes.writeAllTo(new CheckedOutputStream(deflated, crc));
                deflated.finish();
                writeIntLittleEndian(out, (int) crc.getValue());
                writeIntLittleEndian(out, (int) deflater.getBytesRead());
                return BytesInput.from(out.toByteArray());
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.GZIP;
            }

            @Override
            public void release() {
                deflater.end();
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
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
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
        deflaters.forEach(Deflater::end);
        deflaters.clear();
    }

    private static void writeIntLittleEndian(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private static void require(CompressionCodecName codec) {
        if (codec != CompressionCodecName.GZIP) {
            throw new IllegalArgumentException("the archive writes GZIP only, asked for " + codec);
        }
    }
}
