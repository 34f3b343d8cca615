package kiosk.telemetry.aggregate.archive;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GzipCodecsTest {

    /** Pages as Parquet hands them over: empty, tiny, repetitive text, random bytes, a page over the chunk sizes. */
    private static byte[][] pages() {
        Random random = new Random(42);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("{\"screen\":\"capture\",\"x\":").append(random.nextInt(1920)).append('}');
        }
        byte[] mixed = new byte[1 << 20];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (i % 7 == 0 ? random.nextInt() : i / 4096);
        }
        return new byte[][] {new byte[0], {7}, text.toString().getBytes(StandardCharsets.UTF_8), noise, mixed};
    }

    private static byte[] gzipOutputStream(BytesInput page) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
            page.writeAllTo(gz);
        }
        return buf.toByteArray();
    }

    @Test
    void oneCompressorForManyPages_writesWhatGzipOutputStreamWrites_andReadsBack() throws IOException {
        GzipCodecs codecs = new GzipCodecs();
        BytesInputCompressor compressor = codecs.getCompressor(CompressionCodecName.GZIP);
        var decompressor = codecs.getDecompressor(CompressionCodecName.GZIP);
        for (int round = 0; round < 2; round++) {
            for (byte[] page : pages()) {
                // a page of two parts, as Parquet concatenates levels and values
                BytesInput input = BytesInput.concat(BytesInput.from(page, 0, page.length / 3),
                        BytesInput.from(page, page.length / 3, page.length - page.length / 3));
                byte[] ours = compressor.compress(input).toByteArray();
                assertArrayEquals(gzipOutputStream(input), ours, "page of " + page.length + " bytes");
                assertArrayEquals(page, decompressor.decompress(BytesInput.from(ours), page.length).toByteArray());
            }
        }
        codecs.release();
    }

    @Test
    void anotherCodec_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GzipCodecs().getCompressor(CompressionCodecName.SNAPPY));
    }
}
