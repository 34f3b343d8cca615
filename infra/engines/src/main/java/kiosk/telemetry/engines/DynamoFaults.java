package kiosk.telemetry.engines;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * DynamoDB Local with two faults of the real service that it lacks, for tests and benchmarks of contended writes.
 * Every call goes to the real engine, which stays the only store, except:
 * <ul>
 *   <li><b>Transaction conflicts.</b> DynamoDB Local runs each {@code TransactWriteItems} under table write locks,
 *   so concurrent transactions on one item queue and all succeed. DynamoDB instead rejects, as documented under
 *   "Transaction conflict handling": a {@code TransactWriteItems} that touches an item another transaction is
 *   writing is cancelled ({@code TransactionCanceledException}, reason {@code TransactionConflict} for that item);
 *   a {@code PutItem}, {@code UpdateItem} or {@code DeleteItem} of such an item fails with
 *   {@code TransactionConflictException}. Here a transaction holds its items for {@code hold} from the moment it
 *   arrives and is answered no sooner, standing for DynamoDB's own transaction time (independent of DynamoDB
 *   Local's queue, which grows with load; the engine serialises the writes it admits). A rejected call is not
 *   executed and is answered at once. The SDK does not retry either exception.</li>
 *   <li><b>Injected failures.</b> {@link #failOnce} makes the next write that touches a matching item fail with a
 *   500, as a call does whose retries are spent (or a function stopped between two writes).</li>
 * </ul>
 */
public final class DynamoFaults {

    /** An item a write touches: its table and its key, e.g. {@code member=device#k1} among the key's values. */
    public record ItemRef(String table, Map<String, String> key) {
    }

    private final DynamoDbClient real;
    private final long holdNanos;
    private final DynamoDbClient client;
    private final Map<ItemRef, Long> heldUntil = new ConcurrentHashMap<>();
    private final Map<String, List<String>> keySchemas = new ConcurrentHashMap<>();
    private final List<Predicate<ItemRef>> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong conflicts = new AtomicLong();

    private DynamoFaults(DynamoDbClient real, Duration hold) {
        this.real = real;
        this.holdNanos = hold.toNanos();
        this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[]{DynamoDbClient.class}, new Handler());
    }

    /** {@code real} with transaction conflicts for {@code hold} per transaction; {@link Duration#ZERO}: none. */
    public static DynamoFaults wrap(DynamoDbClient real, Duration hold) {
        return new DynamoFaults(real, hold);
    }

    public DynamoDbClient client() {
        return client;
    }

    /** Calls rejected as conflicts so far. */
    public long conflicts() {
        return conflicts.get();
    }

    /** The next write (single or transaction) touching an item that {@code item} matches fails once with a 500. */
    public void failOnce(Predicate<ItemRef> item) {
        failures.add(item);
    }

    private final class Handler implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object request = args != null && args.length == 1 && args[0] instanceof SdkRequest r ? r : null;
            if (method.isDefault() && request == null) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            long answerAt = 0;
            if (request instanceof TransactWriteItemsRequest t) {
                answerAt = admit(t);
            } else if (request instanceof PutItemRequest p) {
                single(ref(p.tableName(), p.item()));
            } else if (request instanceof UpdateItemRequest u) {
                single(ref(u.tableName(), u.key()));
            } else if (request instanceof DeleteItemRequest d) {
                single(ref(d.tableName(), d.key()));
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long early = answerAt - System.nanoTime();
                if (early > 0) {
                    Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                }
            }
        }
    }

    private void single(ItemRef item) {
        injected(List.of(item));
        Long until = heldUntil.get(item);
        if (until != null && until - System.nanoTime() > 0) {
            conflicts.incrementAndGet();
            throw (TransactionConflictException) TransactionConflictException.builder().message("Transaction is ongoing for the item")
                    .statusCode(400).awsErrorDetails(details("TransactionConflictException")).build();
        }
    }

    /** Admits the transaction or throws its cancellation; when it may be answered (nanoTime), 0 for at once. */
    private long admit(TransactWriteItemsRequest t) {
        List<ItemRef> items = new ArrayList<>();
        for (TransactWriteItem i : t.transactItems()) {
            if (i.put() != null) {
                items.add(ref(i.put().tableName(), i.put().item()));
            } else if (i.update() != null) {
                items.add(ref(i.update().tableName(), i.update().key()));
            } else if (i.delete() != null) {
                items.add(ref(i.delete().tableName(), i.delete().key()));
            } else {
                items.add(ref(i.conditionCheck().tableName(), i.conditionCheck().key()));
            }
        }
        injected(items);
        if (holdNanos <= 0) {
            return 0;
        }
        synchronized (heldUntil) {
            long now = System.nanoTime();
            List<CancellationReason> reasons = new ArrayList<>();
            boolean conflict = false;
            for (ItemRef item : items) {
                Long until = heldUntil.get(item);
                boolean held = until != null && until - now > 0;
                conflict |= held;
                reasons.add(held ? CancellationReason.builder().code("TransactionConflict").message("Transaction is ongoing for the item").build()
                        : CancellationReason.builder().code("None").build());
            }
            if (conflict) {
                conflicts.incrementAndGet();
                throw (TransactionCanceledException) TransactionCanceledException.builder()
                        .message("Transaction cancelled, please refer cancellation reasons for specific reasons "
                                + reasons.stream().map(CancellationReason::code).toList())
                        .cancellationReasons(reasons).statusCode(400).awsErrorDetails(details("TransactionCanceledException")).build();
            }
            if (heldUntil.size() > 10_000) {
                heldUntil.values().removeIf(until -> until - now <= 0);
            }
            for (ItemRef item : items) {
                heldUntil.put(item, now + holdNanos);
            }
            return now + holdNanos;
        }
    }

    private void injected(List<ItemRef> items) {
        for (Predicate<ItemRef> f : failures) {
            if (items.stream().anyMatch(f) && failures.remove(f)) {
                throw (DynamoDbException) DynamoDbException.builder().message("injected failure of a write to " + items)
                        .statusCode(500).awsErrorDetails(details("InternalServerError")).build();
            }
        }
    }

    private ItemRef ref(String table, Map<String, AttributeValue> item) {
        Map<String, String> key = new TreeMap<>();
        for (String attr : keySchemas.computeIfAbsent(table, this::keyOf)) {
            AttributeValue v = item.get(attr);
            key.put(attr, v == null ? null : v.s() != null ? v.s() : v.n() != null ? v.n() : v.toString());
        }
        return new ItemRef(table, key);
    }

    private List<String> keyOf(String table) {
        return real.describeTable(b -> b.tableName(table)).table().keySchema().stream().map(KeySchemaElement::attributeName).toList();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).serviceName("DynamoDb").build();
    }
}
