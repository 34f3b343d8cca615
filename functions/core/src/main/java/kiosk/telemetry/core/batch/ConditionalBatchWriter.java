package kiosk.telemetry.core.batch;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.StorageFaults;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.concurrent.ExecutionException;

/**
 * Runs one conditional write per item on a bounded pool, so a batch of 500 costs a few round trips rather than
 * 500. Each write says created (true) or duplicate (false); a write that throws a temporary storage fault
 * ({@link StorageFaults}) or does not finish within the batch deadline is reported as RETRY: the item is either
 * fully written or not at all (a single PutItem), so sending it again is always safe. Any other failure (a call
 * the service refused is a bug) is thrown, and the request is a 500.
 */
@Singleton
public class ConditionalBatchWriter {

    private static final Logger LOG = Logger.getLogger(ConditionalBatchWriter.class);

    public enum Outcome { CREATED, DUPLICATE, RETRY }

    private final ExecutorService pool;
    private final Duration deadline;

    @jakarta.inject.Inject
    public ConditionalBatchWriter(TelemetryConfig config) {
        this(config.batch().writeConcurrency(), config.batch().writeDeadline());
    }

    public ConditionalBatchWriter(int concurrency, Duration deadline) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "batch-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.deadline = deadline;
    }

    public <T> List<Outcome> writeAll(List<T> items, Predicate<T> putIfAbsent) {
        List<Future<Boolean>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> putIfAbsent.test(item)));
        }
        long until = System.nanoTime() + deadline.toNanos();
        List<Outcome> out = new ArrayList<>(items.size());
        for (Future<Boolean> f : futures) {
            try {
                long left = Math.max(0, until - System.nanoTime());
                out.add(f.get(left, TimeUnit.NANOSECONDS) ? Outcome.CREATED : Outcome.DUPLICATE);
            } catch (TimeoutException e) {
                f.cancel(true);
                out.add(Outcome.RETRY);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SdkException sdk && !StorageFaults.isTemporary(sdk)) {
                    throw sdk;
                }
                if (!(e.getCause() instanceof SdkException)) {
                    throw new IllegalStateException("batch write failed", e.getCause());
                }
                LOG.debugf("batch item write failed, to retry: %s", e.getCause().getMessage());
                out.add(Outcome.RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(Outcome.RETRY);
            }
        }
        return out;
    }

    void shutdown(@Observes ShutdownEvent e) {
        pool.shutdownNow();
    }
}
