package kiosk.telemetry.engines;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.function.Predicate;

/**
 * A real engine's client with faults injected on chosen writes, for tests of retry paths: a write can be
 * refused before it reaches the engine ({@link #throttle}) or land and then lose its answer ({@link #loseAnswer}),
 * as a timeout after the request was sent does. Reads always pass through.
 */
public final class FaultyDynamo implements DynamoDbClient {

    private final DynamoDbClient engine;
    private volatile Predicate<PutItemRequest> throttlePut = r -> false;
    private volatile Predicate<UpdateItemRequest> throttleUpdate = r -> false;
    private volatile Predicate<PutItemRequest> losePutAnswer = r -> false;
    private volatile Predicate<UpdateItemRequest> loseUpdateAnswer = r -> false;

    public FaultyDynamo(DynamoDbClient engine) {
        this.engine = engine;
    }

    /** Puts and updates matching these are refused as throttled, nothing written. */
    public FaultyDynamo throttle(Predicate<PutItemRequest> puts, Predicate<UpdateItemRequest> updates) {
        this.throttlePut = puts;
        this.throttleUpdate = updates;
        return this;
    }

    /** Puts and updates matching these are written, then answered with a timeout. */
    public FaultyDynamo loseAnswer(Predicate<PutItemRequest> puts, Predicate<UpdateItemRequest> updates) {
        this.losePutAnswer = puts;
        this.loseUpdateAnswer = updates;
        return this;
    }

    /** No faults from now on. */
    public void heal() {
        throttle(r -> false, r -> false);
        loseAnswer(r -> false, r -> false);
    }

    /** A predicate true for the first {@code n} requests it is asked about, then false. */
    public static <T> Predicate<T> firstTimes(int n, Predicate<T> which) {
        int[] left = {n};
        return r -> {
            if (!which.test(r)) {
                return false;
            }
            synchronized (left) {
                return left[0]-- > 0;
            }
        };
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        if (throttlePut.test(request)) {
            throw throttled();
        }
        PutItemResponse response = engine.putItem(request);
        if (losePutAnswer.test(request)) {
            throw ApiCallAttemptTimeoutException.create(1000);
        }
        return response;
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        if (throttleUpdate.test(request)) {
            throw throttled();
        }
        UpdateItemResponse response = engine.updateItem(request);
        if (loseUpdateAnswer.test(request)) {
            throw ApiCallAttemptTimeoutException.create(1000);
        }
        return response;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return engine.getItem(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return engine.batchGetItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return engine.query(request);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return engine.transactWriteItems(request);
    }

    @Override
    public String serviceName() {
        return engine.serviceName();
    }

    @Override
    public void close() {
    }

    private static ProvisionedThroughputExceededException throttled() {
        return ProvisionedThroughputExceededException.builder().message("throttled (test)").build();
    }
}
