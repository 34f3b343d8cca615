package kiosk.telemetry.aggregate.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An upload whose connection the server closed is tried again (seen in CI with the embedded S3's keep-alive). */
class ArchiveStoreTest {

    @TempDir
    Path dir;

    /** Fails the first {@code failures} puts as a closed connection does, then accepts. */
    private static final class DroppingS3 implements S3Client {
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        DroppingS3(int failures) {
            this.failures = failures;
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (calls.incrementAndGet() <= failures) {
                throw new UncheckedIOException(new SocketException("Unexpected end of file from server"));
            }
            return PutObjectResponse.builder().eTag("\"ok\"").build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void put_triesAgain_whenTheConnectionWasClosedUnderIt() throws Exception {
        Path file = Files.writeString(dir.resolve("part.parquet"), "PAR1");
        DroppingS3 s3 = new DroppingS3(2);

        new ArchiveStore(s3, "bucket").put("_staging/run/dt=2026-11-21/events/part-00000.parquet", file);

        assertEquals(3, s3.calls.get());
    }

    @Test
    void put_givesUp_afterThreeAttempts() throws Exception {
        Path file = Files.writeString(dir.resolve("part.parquet"), "PAR1");
        DroppingS3 s3 = new DroppingS3(3);

        assertThrows(UncheckedIOException.class, () -> new ArchiveStore(s3, "bucket").put("k", file));
        assertEquals(3, s3.calls.get());
    }
}
