package kiosk.telemetry.engines;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the DynamoDB writes that succeeded in this JVM, so that the local stack saves a snapshot only when
 * something changed. The local stack registers it for every SDK client of the process through the SDK's
 * global interceptor list ({@code software/amazon/awssdk/global/handlers/execution.interceptors}).
 */
public final class DynamoWrites implements ExecutionInterceptor {

    private static final AtomicLong WRITES = new AtomicLong();

    /** Writes counted so far; a snapshot remembers the figure it was taken at. */
    public static long count() {
        return WRITES.get();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (isWrite(context.request())) {
            WRITES.incrementAndGet();
        }
    }

    static boolean isWrite(SdkRequest request) {
        return request instanceof PutItemRequest || request instanceof UpdateItemRequest
                || request instanceof DeleteItemRequest || request instanceof BatchWriteItemRequest
                || request instanceof TransactWriteItemsRequest;
    }
}
