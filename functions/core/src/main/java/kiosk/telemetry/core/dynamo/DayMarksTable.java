package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * {@code DayMarksTable}, key {@code date}: per reporting day, when aggregation of it first started
 * ({@code aggregationStartedAt}, set by the aggregator) and whether records arrived after that
 * ({@code lateSince}, {@code lateLast}, {@code lateWrites}, set by ingestion before it writes them). The only
 * code touching it.
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

    public record DayMark(LocalDate date, Instant aggregationStartedAt, Instant lateSince, long lateWrites) {
        public boolean aggregated() {
            return aggregationStartedAt != null;
        }
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
        return Optional.of(new DayMark(day, instant(it, AGGREGATION_STARTED_AT), instant(it, LATE_SINCE), n == null ? 0 : n));
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
    public java.util.List<LocalDate> lateDays() {
        java.util.List<LocalDate> out = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var req = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table).indexName("late-index")
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
