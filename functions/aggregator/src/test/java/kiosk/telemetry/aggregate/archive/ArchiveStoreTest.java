package kiosk.telemetry.aggregate.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
        private final Supplier<RuntimeException> failure;

        DroppingS3(int failures) {
            this(failures, () -> new UncheckedIOException(new SocketException("Unexpected end of file from server")));
        }

        DroppingS3(int failures, Supplier<RuntimeException> failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (calls.incrementAndGet() <= failures) {
                throw failure.get();
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

    /** As the SDK reports a body the server stopped reading, after its own retries (seen in CI with the embedded S3). */
    private static SdkClientException bodyNotWritten() {
        return SdkClientException.builder().message("Unable to execute HTTP request: Error writing request body to server")
                .cause(new IOException("Error writing request body to server")).build();
    }

    @Test
    void put_triesAgainAfterAPause_whenTheServerStoppedReadingTheBody() throws Exception {
        Path file = Files.writeString(dir.resolve("part.parquet"), "PAR1");
        DroppingS3 s3 = new DroppingS3(2, ArchiveStoreTest::bodyNotWritten);

        new ArchiveStore(s3, "bucket").put("k", file);

        assertEquals(3, s3.calls.get());
    }

    @Test
    void otherClientErrors_areNotRetried() throws Exception {
        Path file = Files.writeString(dir.resolve("part.parquet"), "PAR1");
        DroppingS3 s3 = new DroppingS3(1, () -> SdkClientException.create("Unable to load credentials"));

        assertThrows(SdkClientException.class, () -> new ArchiveStore(s3, "bucket").put("k", file));
        assertEquals(1, s3.calls.get());
    }
}
