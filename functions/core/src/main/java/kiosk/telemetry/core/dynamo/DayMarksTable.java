package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@code DayMarksTable}, key {@code date}: per reporting day, when aggregation of it first started
 * ({@code aggregationStartedAt}, set by the aggregator), whether records arrived after that
 * ({@code lateSince}, {@code lateLast}, {@code lateWrites}, set by ingestion before it writes them), which run
 * holds the day now ({@code leaseRun} until {@code leaseUntil}) and how many records of each kind its published
 * archive holds ({@code archivedRecords}). The only code touching it.
 */
@ApplicationScoped
public class DayMarksTable {

    static final String DATE = "date";
    static final String AGGREGATION_STARTED_AT = "aggregationStartedAt";
    static final String LATE_SINCE = "lateSince";
    static final String LATE_LAST = "lateLast";
    static final String LATE_WRITES = "lateWrites";
    /** Present only while a day is marked late: the sparse {@code late-index} lists exactly those days. */
    static final String LATE_KIND = "lateKind";
    static final String LATE = "late";
    static final String LEASE_RUN = "leaseRun";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String ARCHIVED_RECORDS = "archivedRecords";

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
        var resp = dynamo.getItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString()))).consistentRead(true));
        if (!resp.hasItem() || resp.item().isEmpty()) {
            return Optional.empty();
        }
        var it = resp.item();
        Long n = Attr.num(it, LATE_WRITES);
        Map<String, Long> archived = new TreeMap<>();
        AttributeValue counts = it.get(ARCHIVED_RECORDS);
        if (counts != null && counts.hasM()) {
            counts.m().forEach((kind, v) -> archived.put(kind, Long.parseLong(v.n())));
        }
        return Optional.of(new DayMark(day, instant(it, AGGREGATION_STARTED_AT), instant(it, LATE_SINCE), n == null ? 0 : n,
                counts == null ? null : archived));
    }

    /**
     * Takes the day for run {@code runId} until {@code until}, unless another run holds it and its lease has not
     * expired at {@code now}. Taking it again for the same run renews it.
     */
    public Lease lease(LocalDate day, String runId, Instant now, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                    .updateExpression("SET #r = :run, #u = :until")
                    .conditionExpression("attribute_not_exists(#r) OR #u < :now OR #r = :run")
                    .expressionAttributeNames(Map.of("#r", LEASE_RUN, "#u", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":run", Attr.s(runId), ":until", Attr.s(Timestamps.format(until)),
                            ":now", Attr.s(Timestamps.format(now))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Lease(true, runId, until);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
            return new Lease(false, Attr.str(old, LEASE_RUN), instant(old, LEASE_UNTIL));
        }
    }

    /** Gives the day back, if {@code runId} still holds it. */
    public void release(LocalDate day, String runId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                    .updateExpression("REMOVE #r, #u")
                    .conditionExpression("#r = :run")
                    .expressionAttributeNames(Map.of("#r", LEASE_RUN, "#u", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":run", Attr.s(runId))));
        } catch (ConditionalCheckFailedException e) {
            // another run took the day after our lease expired: it is theirs now
        }
    }

    /** Records how many records of each kind the day's published archive holds. */
    public void recordArchived(LocalDate day, Map<String, Long> records) {
        Map<String, AttributeValue> counts = new TreeMap<>();
        records.forEach((kind, n) -> counts.put(kind, AttributeValue.fromN(Long.toString(n))));
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                .updateExpression("SET #a = :counts")
                .expressionAttributeNames(Map.of("#a", ARCHIVED_RECORDS))
                .expressionAttributeValues(Map.of(":counts", AttributeValue.fromM(counts))));
    }

    /** The aggregator's mark: this day has been (or is being) aggregated from {@code at} on. */
    public void markAggregationStarted(LocalDate day, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                .updateExpression("SET #a = if_not_exists(#a, :at)")
                .expressionAttributeNames(Map.of("#a", AGGREGATION_STARTED_AT))
                .expressionAttributeValues(Map.of(":at", Attr.s(Timestamps.format(at)))));
    }

    /**
     * Ingestion's mark, written before the records: {@code writes} records of an aggregated day are about to be
     * written (new or repeated). Keeps the first late time and records the latest.
     */
    public void markLate(LocalDate day, Instant now, int writes) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                    .updateExpression("SET #l = if_not_exists(#l, :now), #t = :now, #k = :late ADD #n :w")
                    .conditionExpression("attribute_exists(#a)")
                    .expressionAttributeNames(Map.of("#l", LATE_SINCE, "#t", LATE_LAST, "#n", LATE_WRITES,
                            "#a", AGGREGATION_STARTED_AT, "#k", LATE_KIND))
                    .expressionAttributeValues(Map.of(":now", Attr.s(Timestamps.format(now)), ":w", AttributeValue.fromN(Integer.toString(writes)),
                            ":late", Attr.s(LATE))));
        } catch (ConditionalCheckFailedException e) {
            // the day was never aggregated: nothing to mark
        }
    }

    /** Days marked late (records arrived after their aggregation started), oldest first: a Query, never a Scan. */
    public List<LocalDate> lateDays() {
        List<LocalDate> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var req = QueryRequest.builder().tableName(table).indexName("late-index")
                    .keyConditionExpression("#k = :late").expressionAttributeNames(Map.of("#k", LATE_KIND))
                    .expressionAttributeValues(Map.of(":late", Attr.s(LATE)));
            if (start != null) {
                req.exclusiveStartKey(start);
            }
            var resp = dynamo.query(req.build());
            resp.items().forEach(it -> out.add(LocalDate.parse(Attr.str(it, DATE))));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null);
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
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(DATE, Attr.s(day.toString())))
                    .updateExpression("REMOVE #k, #l, #t, #n")
                    .conditionExpression("attribute_exists(#l) AND #l <= :start AND (attribute_not_exists(#t) OR #t <= :start)")
                    .expressionAttributeNames(Map.of("#k", LATE_KIND, "#l", LATE_SINCE, "#t", LATE_LAST, "#n", LATE_WRITES))
                    .expressionAttributeValues(Map.of(":start", Attr.s(Timestamps.format(runStartedAt)))));
        } catch (ConditionalCheckFailedException e) {
            // not late, or late again since the run started
        }
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Timestamps.parse(s);
    }
}
