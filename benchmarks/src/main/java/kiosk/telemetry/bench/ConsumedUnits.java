package kiosk.telemetry.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Write capacity as DynamoDB reports it: an SDK interceptor that sends every {@code PutItem} and {@code UpdateItem}
 * with {@code ReturnConsumedCapacity=INDEXES} and sums the units answered (table and index) per table, and counts the
 * writes refused by their condition per table (billed, at least one unit each, but answered without units).
 */
final class ConsumedUnits implements ExecutionInterceptor {

    private final Map<String, DoubleAdder> units = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> refused = new ConcurrentHashMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest put) {
            return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        }
        if (context.request() instanceof UpdateItemRequest update) {
            return update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        }
        return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ConsumedCapacity c = null;
        if (context.response() instanceof PutItemResponse put) {
            c = put.consumedCapacity();
        } else if (context.response() instanceof UpdateItemResponse update) {
            c = update.consumedCapacity();
        }
        if (c != null) {
            units.computeIfAbsent(c.tableName(), t -> new DoubleAdder()).add(c.capacityUnits());
        } else if (context.response() instanceof PutItemResponse || context.response() instanceof UpdateItemResponse) {
            throw new IllegalStateException("the engine answered a write without ConsumedCapacity");
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            String table = context.request() instanceof PutItemRequest put ? put.tableName()
                    : context.request() instanceof UpdateItemRequest update ? update.tableName() : "other";
            refused.computeIfAbsent(table, t -> new DoubleAdder()).add(1);
        }
    }

    /** Units per table since the last {@link #clear()}. */
    Map<String, Double> units() {
        return snapshot(units);
    }

    /** Refused conditional writes per table since the last {@link #clear()}. */
    Map<String, Double> refused() {
        return snapshot(refused);
    }

    void clear() {
        units.clear();
        refused.clear();
    }

    private static Map<String, Double> snapshot(Map<String, DoubleAdder> sums) {
        Map<String, Double> out = new TreeMap<>();
        sums.forEach((t, u) -> out.put(t, u.sum()));
        return out;
    }
}
