package kiosk.telemetry.aggregate.archive;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The archive bucket: every S3 call of the aggregator is here. */
public class ArchiveStore {

    private static final int DELETE_BATCH = 1000;
    private static final int ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;

    public ArchiveStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, Path file) {
        retryingLostConnections(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/vnd.apache.parquet"),
                RequestBody.fromFile(file)));
    }

    /** A server-side copy: the bytes never pass through the function. */
    public void copy(String fromKey, String toKey) {
        retryingLostConnections(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket)
                .destinationKey(toKey)));
    }

    public List<String> list(String prefix) {
        return retryingLostConnections(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList());
    }

    public void delete(List<String> keys) {
        for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            var resp = retryingLostConnections(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build())));
            if (resp.hasErrors() && !resp.errors().isEmpty()) {
                var first = resp.errors().get(0);
                throw S3Exception.builder().message("could not delete " + resp.errors().size() + " archive objects, first "
                        + first.key() + ": " + first.code() + " " + first.message()).build();
            }
        }
    }

    /**
     * Runs one S3 call, again (up to {@value #ATTEMPTS} times in all) when the connection broke under it: a stale
     * keep-alive connection of the URL-connection client ("Unexpected end of file from server") reaches us as
     * {@link UncheckedIOException}, which the SDK's own retries do not cover; a connection the server closed while
     * the body was being written ("Error writing request body to server") reaches us as an
     * {@link SdkClientException} caused by an {@link IOException} after the SDK's own quick retries, so this waits
     * a little (100 ms, then 200 ms) before the next round. Every call here is idempotent (same key, same bytes;
     * copy, list and delete repeat safely). Any other failure is thrown at once.
     */
    private <T> T retryingLostConnections(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (UncheckedIOException connectionLost) {
                if (attempt == ATTEMPTS) {
                    throw connectionLost;
                }
            } catch (SdkClientException e) {
                if (attempt == ATTEMPTS || !causedByIo(e)) {
                    throw e;
                }
                pause(attempt * 100L);
            }
        }
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an archive call", e);
        }
    }
}
