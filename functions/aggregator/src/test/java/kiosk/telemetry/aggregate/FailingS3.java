package kiosk.telemetry.aggregate;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.concurrent.atomic.AtomicInteger;

/** The real S3 store, except that the n-th PutObject (and every one after it) fails as S3 would with a 500. */
final class FailingS3 implements S3Client {

    private final S3Client real;
    private final int failFrom;
    private final AtomicInteger puts = new AtomicInteger();

    FailingS3(S3Client real, int failFrom) {
        this.real = real;
        this.failFrom = failFrom;
    }

    int puts() {
        return puts.get();
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (puts.incrementAndGet() >= failFrom) {
            throw (S3Exception) S3Exception.builder().statusCode(500).message("injected failure of PutObject " + request.key()).build();
        }
        return real.putObject(request, body);
    }

    @Override
    public CopyObjectResponse copyObject(CopyObjectRequest request) {
        return real.copyObject(request);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        return real.listObjectsV2(request);
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        return real.deleteObjects(request);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
    }
}
