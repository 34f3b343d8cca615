package kiosk.telemetry.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.error.StorageFaults;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.time.ReportingCalendar;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one way batch routes ingest: the list checked as a whole (present, an array, 1..500 items), each item
 * bound and validated on its own (errors keep its index), items for another device's session rejected, keys repeated
 * within the batch counted as duplicates; then the late-day marks of what is about to be written (new or not),
 * then what the kind stores before its items ({@link Kind#beforeWriting}); and only then the writes, one conditional
 * write each, concurrently; and the per-item outcome (its status is decided at the edge, {@code Answers.batch}).
 * A mark or entry that cannot be written now puts every item to write in {@code retry}, no item written.
 */
@ApplicationScoped
public class BatchIngest {

    private static final Logger LOG = Logger.getLogger(BatchIngest.class);

    /** What a batch route supplies: the record an item binds to, and the item's session, key, day and conditional write. */
    public interface Kind<R, T> {
        /** The request record one item is bound to and validated as. */
        Class<R> itemType();

        /** The item to store, from its valid request record. */
        T from(R request, Instant now);

        /** The session the item belongs to, or null. */
        String sessionId(T item);

        /** The dedup key. */
        String key(T item);

        /** The reporting day's instant of the item. */
        Instant time(T item);

        /** One conditional write: true when created, false when the key existed. */
        boolean putIfAbsent(T item);

        /**
         * What must be stored before any of these items is (an entry that makes them findable), written after the
         * late-day marks; a temporary failure answers 503 with nothing written, as for the marks.
         */
        default void beforeWriting(List<T> items) {
        }
    }

    private final Binder binder;
    private final SessionOwners owners;
    private final ConditionalBatchWriter writer;
    private final LateDataMarks lateMarks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;
    private final Emf emf;
    private final LiveTotals live;

    public BatchIngest(Binder binder, SessionOwners owners, ConditionalBatchWriter writer, LateDataMarks lateMarks,
                       ReportingCalendar calendar, Clock clock, TelemetryConfig config, Emf emf, LiveTotals live) {
        this.emf = emf;
        this.live = live;
        this.binder = binder;
        this.owners = owners;
        this.writer = writer;
        this.lateMarks = lateMarks;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public <R, T> BatchResult ingest(Device caller, JsonNode body, String listField, Kind<R, T> kind) {
        JsonNode list = body.get(listField);
        int max = config.limits().maxBatchItems();
        if (list == null || !list.isArray()) {
            throw ApiException.invalidField(listField, "is required: an array");
        }
        if (list.isEmpty()) {
            throw ApiException.invalidField(listField, "must not be empty");
        }
        if (list.size() > max) {
            throw ApiException.invalidField(listField, "must have at most " + max + " items, has " + list.size());
        }
        Instant now = clock.instant();
        List<BatchResult.Rejection> rejected = new ArrayList<>();
        Map<Integer, T> valid = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Bound<R> item = binder.bind(list.get(i), kind.itemType());
            if (item.valid()) {
                valid.put(i, kind.from(item.value(), now));
            } else {
                rejected.add(new BatchResult.Rejection(i, item.errors()));
            }
        }

        Set<String> sessionIds = new LinkedHashSet<>();
        valid.values().forEach(v -> {
            if (kind.sessionId(v) != null) {
                sessionIds.add(kind.sessionId(v));
            }
        });
        Map<String, String> ownerOf = sessionIds.isEmpty() ? Map.of() : owners.ownersOf(sessionIds);

        List<T> toWrite = new ArrayList<>();
        List<Integer> writeIndex = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < list.size(); i++) {
            T v = valid.get(i);
            if (v == null) {
                continue;
            }
            String owner = kind.sessionId(v) == null ? null : ownerOf.get(kind.sessionId(v));
            if (owner != null && !owner.equals(caller.deviceId())) {
                rejected.add(new BatchResult.Rejection(i, List.of(new FieldError("sessionId", "belongs to another device"))));
                continue;
            }
            if (!keys.add(kind.key(v))) {
                duplicates++;
                continue;
            }
            toWrite.add(v);
            writeIndex.add(i);
        }
        rejected.sort(Comparator.comparingInt(BatchResult.Rejection::index));
        Map<LocalDate, Integer> perDay = new HashMap<>();
        toWrite.forEach(t -> perDay.merge(calendar.dayOf(kind.time(t)), 1, Integer::sum));
        try {
            lateMarks.beforeWriting(perDay);
            kind.beforeWriting(toWrite);
        } catch (SdkException e) {
            if (!StorageFaults.isTemporary(e)) {
                throw e;
            }
            LOG.warnf("late-day mark or entry before the items not written, batch of %d not written: %s", toWrite.size(), e.getMessage());
            return answer(listField, 0, duplicates, rejected, writeIndex);
        }
        Predicate<T> put = kind::putIfAbsent;
        var outcomes = writer.writeAll(toWrite, put);

        int accepted = 0;
        List<Integer> retry = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        for (int k = 0; k < outcomes.size(); k++) {
            switch (outcomes.get(k)) {
                case CREATED -> {
                    accepted++;
                    created.add(kind.time(toWrite.get(k)));
                }
                case DUPLICATE -> duplicates++;
                case RETRY -> retry.add(writeIndex.get(k));
            }
        }
        if (!created.isEmpty()) {
            live.reported(caller, created);
        }
        return answer(listField, accepted, duplicates, rejected, retry);
    }

    private BatchResult answer(String listField, int accepted, int duplicates, List<BatchResult.Rejection> rejected,
                               List<Integer> retry) {
        emf.emit(Map.of("Kind", listField), Emf.values(
                Emf.Metric.Accepted, accepted, Emf.Metric.Duplicates, duplicates,
                Emf.Metric.Rejected, rejected.size(), Emf.Metric.Retried, retry.size()));
        return new BatchResult(accepted, duplicates, rejected, retry);
    }
}
