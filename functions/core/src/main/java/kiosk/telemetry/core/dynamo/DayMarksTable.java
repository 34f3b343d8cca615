package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.store.DayMarkItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;

import static kiosk.telemetry.core.store.DayMarkItem.AGGREGATION_STARTED_AT;
import static kiosk.telemetry.core.store.DayMarkItem.ARCHIVED_RECORDS;
import static kiosk.telemetry.core.store.DayMarkItem.DATE;
import static kiosk.telemetry.core.store.DayMarkItem.LATE;
import static kiosk.telemetry.core.store.DayMarkItem.LATE_DAYS;
import static kiosk.telemetry.core.store.DayMarkItem.LATE_KIND;
import static kiosk.telemetry.core.store.DayMarkItem.LATE_LAST;
import static kiosk.telemetry.core.store.DayMarkItem.LATE_SINCE;
import static kiosk.telemetry.core.store.DayMarkItem.LATE_WRITES;
import static kiosk.telemetry.core.store.DayMarkItem.LEASE_RUN;
import static kiosk.telemetry.core.store.DayMarkItem.LEASE_UNTIL;

/**
 * {@code DayMarksTable}, items as {@link DayMarkItem} defines them: the aggregator marks a day's aggregation and
 * lease, ingestion marks records that arrive after it (before it writes them). The only code touching it.
 */
@ApplicationScoped
public class DayMarksTable {

    public record DayMark(LocalDate date, Instant aggregationStartedAt, Instant lateSince, long lateWrites,
                          Map<String, Long> archivedRecords) {
        public boolean aggregated() {
            return aggregationStartedAt != null;
        }
    }

    /** A day lease: taken by {@code runId}, or refused because {@code holder} holds the day until {@code until}. */
    public record Lease(boolean taken, String holder, Instant until) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    @Inject
    public DayMarksTable(DynamoDbClient dynamo, TelemetryConfig config) {
        this(dynamo, config.tables().dayMarks());
    }

    public DayMarksTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Optional<DayMark> get(LocalDate day) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(DATE.key(day)).consistentRead(true));
        if (!resp.hasItem() || resp.item().isEmpty()) {
            return Optional.empty();
        }
        var it = resp.item();
        return Optional.of(new DayMark(day, AGGREGATION_STARTED_AT.get(it), LATE_SINCE.get(it), LATE_WRITES.get(it, 0L),
                ARCHIVED_RECORDS.get(it)));
    }

    /**
     * Takes the day for run {@code runId} until {@code until}, unless another run holds it and its lease has not
     * expired at {@code now}. Taking it again for the same run renews it.
     */
    public Lease lease(LocalDate day, String runId, Instant now, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                    .updateExpression("SET #r = :run, #u = :until")
                    .conditionExpression("attribute_not_exists(#r) OR #u < :now OR #r = :run")
                    .expressionAttributeNames(Map.of("#r", LEASE_RUN.name(), "#u", LEASE_UNTIL.name()))
                    .expressionAttributeValues(Map.of(":run", LEASE_RUN.value(runId), ":until", LEASE_UNTIL.value(until),
                            ":now", LEASE_UNTIL.value(now)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Lease(true, runId, until);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
            return new Lease(false, LEASE_RUN.get(old), LEASE_UNTIL.get(old));
        }
    }

    /** Gives the day back, if {@code runId} still holds it. */
    public void release(LocalDate day, String runId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                    .updateExpression("REMOVE #r, #u")
                    .conditionExpression("#r = :run")
                    .expressionAttributeNames(Map.of("#r", LEASE_RUN.name(), "#u", LEASE_UNTIL.name()))
                    .expressionAttributeValues(Map.of(":run", LEASE_RUN.value(runId))));
        } catch (ConditionalCheckFailedException e) {
            // another run took the day after our lease expired: it is theirs now
        }
    }

    /** Records how many records of each kind the day's published archive holds. */
    public void recordArchived(LocalDate day, Map<String, Long> records) {
        dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                .updateExpression("SET #a = :counts")
                .expressionAttributeNames(Map.of("#a", ARCHIVED_RECORDS.name()))
                .expressionAttributeValues(Map.of(":counts", ARCHIVED_RECORDS.value(records))));
    }

    /** The aggregator's mark: this day has been (or is being) aggregated from {@code at} on. */
    public void markAggregationStarted(LocalDate day, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                .updateExpression("SET #a = if_not_exists(#a, :at)")
                .expressionAttributeNames(Map.of("#a", AGGREGATION_STARTED_AT.name()))
                .expressionAttributeValues(Map.of(":at", AGGREGATION_STARTED_AT.value(at))));
    }

    /**
     * Ingestion's mark, written before the records: {@code writes} records of an aggregated day are about to be
     * written (new or repeated). Keeps the first late time and records the latest.
     */
    public void markLate(LocalDate day, Instant now, int writes) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                    .updateExpression("SET #l = if_not_exists(#l, :now), #t = :now, #k = :late ADD #n :w")
                    .conditionExpression("attribute_exists(#a)")
                    .expressionAttributeNames(Map.of("#l", LATE_SINCE.name(), "#t", LATE_LAST.name(), "#n", LATE_WRITES.name(),
                            "#a", AGGREGATION_STARTED_AT.name(), "#k", LATE_KIND.name()))
                    .expressionAttributeValues(Map.of(":now", LATE_SINCE.value(now), ":w", LATE_WRITES.value((long) writes),
                            ":late", LATE_KIND.value(LATE))));
        } catch (ConditionalCheckFailedException e) {
            // the day was never aggregated: nothing to mark
        }
    }

    /** Days marked late (records arrived after their aggregation started), oldest first: a Query, never a Scan. */
    public List<LocalDate> lateDays() {
        List<LocalDate> out = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(LATE_DAYS.name())
                        .keyConditionExpression("#k = :late").expressionAttributeNames(Map.of("#k", LATE_KIND.name()))
                        .expressionAttributeValues(Map.of(":late", LATE_KIND.value(LATE))))
                .items().forEach(it -> out.add(DATE.get(it)));
        return out;
    }

    /**
     * Clears a day's late mark once a run that started at {@code runStartedAt} re-aggregated it, unless a record
     * was marked after that run began (then the mark stays for the next run). A mark precedes its records' write
     * by at most the function timeout, less than the aggregator's settle time, so a run sees every record marked
     * before it started.
     */
    public void clearLate(LocalDate day, Instant runStartedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DATE.key(day))
                    .updateExpression("REMOVE #k, #l, #t, #n")
                    .conditionExpression("attribute_exists(#l) AND #l <= :start AND (attribute_not_exists(#t) OR #t <= :start)")
                    .expressionAttributeNames(Map.of("#k", LATE_KIND.name(), "#l", LATE_SINCE.name(), "#t", LATE_LAST.name(), "#n", LATE_WRITES.name()))
                    .expressionAttributeValues(Map.of(":start", LATE_SINCE.value(runStartedAt))));
        } catch (ConditionalCheckFailedException e) {
            // not late, or late again since the run started
        }
    }
}
