package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.store.SessionItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static kiosk.telemetry.core.store.SessionItem.BY_DAY;
import static kiosk.telemetry.core.store.SessionItem.DAY_SHARD;
import static kiosk.telemetry.core.store.SessionItem.EXIT_REASON;
import static kiosk.telemetry.core.store.SessionItem.SEQ;
import static kiosk.telemetry.core.store.SessionItem.SESSION_ID;
import static kiosk.telemetry.core.store.SessionItem.STATUS;
import static kiosk.telemetry.core.store.SessionItem.TS;
import static kiosk.telemetry.core.store.SessionItem.UPDATED_AT;

/**
 * The nightly run's one write to Sessions: a session still {@code started} or {@code in_progress} long after its start
 * (the kiosk crashed, lost power or was unplugged) is ended as {@code timeout}, as if its kiosk had sent a PATCH with
 * the next {@code seq}, so that no kiosk can leave the fleet's figures wrong. Only those attributes are written
 * (status, seq, exit reason, update time; the aggregator's IAM policy allows no others), and only while the session is
 * still open, so a kiosk's own end that arrives first wins.
 */
public final class SessionTimeouts {

    /** The exit reason a server timeout leaves, unless the session has one. */
    public static final String EXIT_REASON_TEXT = "no end from the kiosk within 24 h of its start";

    /** Every attribute a timeout write names, key included (template.yaml, the aggregator's {@code SessionTimeouts} statement). */
    public static final List<String> ATTRIBUTES = List.of(SESSION_ID.name(), STATUS.name(), SEQ.name(), EXIT_REASON.name(), UPDATED_AT.name());

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shards;

    public SessionTimeouts(DynamoDbClient dynamo, String table, int shards) {
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
    }

    /**
     * Ends as {@code timeout} every session of {@code day} (by its start) that started from {@code from} to before
     * {@code cutoff} and is still open: the day's index shards, read over that span of starts with the open statuses as
     * a filter, then one conditional update each. Returns the ids it ended.
     */
    public List<String> endOpen(LocalDate day, Instant from, Instant cutoff, Instant now) {
        List<String> open = new ArrayList<>();
        String after = SessionItem.sortKey(from, "");
        String before = SessionItem.sortKey(cutoff, "");
        for (String shard : DayShards.allKeys(day, shards)) {
            dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_DAY.name())
                            .keyConditionExpression("#p = :p AND #ts BETWEEN :from AND :cut")
                            .filterExpression("#st IN (:started, :progress)")
                            .expressionAttributeNames(Map.of("#p", DAY_SHARD.name(), "#ts", TS.name(), "#st", STATUS.name()))
                            .expressionAttributeValues(Map.of(":p", DAY_SHARD.value(shard), ":from", TS.value(after), ":cut", TS.value(before),
                                    ":started", STATUS.value(SessionStatus.started.name()),
                                    ":progress", STATUS.value(SessionStatus.in_progress.name()))))
                    .items().forEach(item -> open.add(SESSION_ID.get(item)));
        }
        List<String> ended = new ArrayList<>();
        for (String id : open) {
            if (end(id, now)) {
                ended.add(id);
            }
        }
        return ended;
    }

    private boolean end(String sessionId, Instant now) {
        Map<String, AttributeValue> values = Map.of(":timeout", STATUS.value(SessionStatus.timeout.name()), ":one", SEQ.value(1L),
                ":why", EXIT_REASON.value(EXIT_REASON_TEXT), ":now", UPDATED_AT.value(now),
                ":started", STATUS.value(SessionStatus.started.name()), ":progress", STATUS.value(SessionStatus.in_progress.name()));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(SESSION_ID.key(sessionId))
                    .updateExpression("SET #st = :timeout, #why = if_not_exists(#why, :why), #upd = :now ADD #seq :one")
                    .conditionExpression("#st IN (:started, :progress)")
                    .expressionAttributeNames(Map.of("#st", STATUS.name(), "#why", EXIT_REASON.name(), "#upd", UPDATED_AT.name(),
                            "#seq", SEQ.name()))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
