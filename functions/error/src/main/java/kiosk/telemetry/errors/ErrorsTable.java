package kiosk.telemetry.errors;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.ItemSize;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.ErrorItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kiosk.telemetry.core.store.ErrorItem.BREADCRUMBS;
import static kiosk.telemetry.core.store.ErrorItem.BY_DAY;
import static kiosk.telemetry.core.store.ErrorItem.BY_DEVICE;
import static kiosk.telemetry.core.store.ErrorItem.BY_FINGERPRINT;
import static kiosk.telemetry.core.store.ErrorItem.CATEGORY;
import static kiosk.telemetry.core.store.ErrorItem.CODE;
import static kiosk.telemetry.core.store.ErrorItem.COUNTRY;
import static kiosk.telemetry.core.store.ErrorItem.DAY;
import static kiosk.telemetry.core.store.ErrorItem.DAY_SHARD;
import static kiosk.telemetry.core.store.ErrorItem.DEVICE_ID;
import static kiosk.telemetry.core.store.ErrorItem.DEVICE_STATE;
import static kiosk.telemetry.core.store.ErrorItem.ERROR_ID;
import static kiosk.telemetry.core.store.ErrorItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.ErrorItem.FINGERPRINT;
import static kiosk.telemetry.core.store.ErrorItem.GROUP_ID;
import static kiosk.telemetry.core.store.ErrorItem.MESSAGE;
import static kiosk.telemetry.core.store.ErrorItem.NOTE;
import static kiosk.telemetry.core.store.ErrorItem.RECEIVED_AT;
import static kiosk.telemetry.core.store.ErrorItem.RESOLVED;
import static kiosk.telemetry.core.store.ErrorItem.RESOLVED_AT;
import static kiosk.telemetry.core.store.ErrorItem.RESOLVED_BY;
import static kiosk.telemetry.core.store.ErrorItem.SESSION_ID;
import static kiosk.telemetry.core.store.ErrorItem.SEVERITY;
import static kiosk.telemetry.core.store.ErrorItem.STACK;
import static kiosk.telemetry.core.store.ErrorItem.STORE_ID;
import static kiosk.telemetry.core.store.ErrorItem.TIMESTAMP;
import static kiosk.telemetry.core.store.ErrorItem.TS;

/**
 * {@code ErrorsTable}, items as {@link ErrorItem} defines them. The only code that writes this table.
 */
@ApplicationScoped
public class ErrorsTable {

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public ErrorsTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().errors();
    }

    /** The conditional put of a new error, as one item of a transaction. */
    TransactWriteItem putIfAbsent(ErrorReport e) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(e))
                .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", ERROR_ID.name())).build()).build();
    }

    /** How many bytes the error's item takes, as DynamoDB counts them against its item size limit. */
    public long storedBytes(ErrorReport e) {
        return ItemSize.of(item(e));
    }

    private Map<String, AttributeValue> item(ErrorReport e) {
        LocalDate day = calendar.dayOf(e.timestamp());
        Map<String, AttributeValue> item = new HashMap<>();
        ERROR_ID.put(item, e.errorId());
        SESSION_ID.put(item, e.sessionId());
        DEVICE_ID.put(item, e.deviceId());
        STORE_ID.put(item, e.storeId());
        GROUP_ID.put(item, e.groupId());
        COUNTRY.put(item, e.countryCode());
        TIMESTAMP.put(item, e.timestamp());
        SEVERITY.put(item, e.severity());
        CATEGORY.put(item, e.category());
        CODE.put(item, e.code());
        MESSAGE.put(item, e.message());
        STACK.put(item, e.stack());
        BREADCRUMBS.put(item, e.breadcrumbs());
        DEVICE_STATE.put(item, e.deviceState());
        FINGERPRINT.put(item, e.fingerprint());
        RESOLVED.put(item, false);
        DAY.put(item, day);
        DAY_SHARD.put(item, ErrorItem.dayShard(day, e.errorId(), config.shards().errors()));
        TS.put(item, ErrorItem.sortKey(e.timestamp(), e.errorId()));
        RECEIVED_AT.put(item, e.receivedAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        return item;
    }

    public Optional<Map<String, AttributeValue>> get(String errorId) {
        var resp = dynamo.getItem(b -> b.tableName(table).key(ERROR_ID.key(errorId)).consistentRead(true));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(resp.item()) : Optional.empty();
    }

    /** Marks the error resolved; the first resolution's time, author and note stay. Empty when unknown. */
    public Optional<Map<String, AttributeValue>> resolve(String errorId, String by, String note, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":t", RESOLVED.value(true));
        values.put(":now", RESOLVED_AT.value(now));
        values.put(":by", RESOLVED_BY.value(by));
        String update = "SET #r = :t, #ra = if_not_exists(#ra, :now), #rb = if_not_exists(#rb, :by)";
        Map<String, String> names = new HashMap<>(Map.of("#r", RESOLVED.name(), "#ra", RESOLVED_AT.name(), "#rb", RESOLVED_BY.name(), "#id", ERROR_ID.name()));
        if (note != null) {
            values.put(":note", NOTE.value(note));
            names.put("#n", NOTE.name());
            update += ", #n = if_not_exists(#n, :note)";
        }
        String expr = update;
        try {
            var resp = dynamo.updateItem(b -> b.tableName(table).key(ERROR_ID.key(errorId))
                    .updateExpression(expr).conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
            return Optional.of(resp.attributes());
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
    }

    /** Ids of every error with this fingerprint (still in the table), for resolving a group. */
    public List<String> idsWithFingerprint(String fingerprint) {
        List<String> ids = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_FINGERPRINT.name())
                        .keyConditionExpression("#f = :f").expressionAttributeNames(Map.of("#f", FINGERPRINT.name()))
                        .expressionAttributeValues(Map.of(":f", FINGERPRINT.value(fingerprint))))
                .items().forEach(it -> ids.add(ERROR_ID.get(it)));
        return ids;
    }

    public IndexPager.Result list(String deviceId, String severity, String category, Boolean resolved, Instant from, Instant to,
                                  List<LocalDate> daysNewestFirst, int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, ERROR_ID)
                .byPartition(BY_DEVICE, deviceId)
                .byDays(BY_DAY, daysNewestFirst, config.shards().errors())
                .whereEqual(SEVERITY, severity)
                .whereEqual(CATEGORY, category)
                .whereEqual(RESOLVED, resolved)
                .between(from, to)
                .spec();
        return pager.page(spec, limit, cursor, scope);
    }

    public static ErrorView view(Map<String, AttributeValue> item) {
        return new ErrorView(ERROR_ID.get(item), SESSION_ID.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item),
                COUNTRY.get(item), TIMESTAMP.storedText(item), SEVERITY.get(item), CATEGORY.get(item), CODE.get(item), MESSAGE.get(item),
                STACK.get(item), BREADCRUMBS.get(item), DEVICE_STATE.get(item), FINGERPRINT.get(item), RESOLVED.get(item, false),
                RESOLVED_AT.storedText(item), RESOLVED_BY.get(item), NOTE.get(item), RECEIVED_AT.storedText(item));
    }
}
