package kiosk.telemetry.session.sale;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.ListPlan;
import kiosk.telemetry.core.store.SaleItem;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kiosk.telemetry.core.store.SaleItem.BY_DAY;
import static kiosk.telemetry.core.store.SaleItem.BY_DEVICE;
import static kiosk.telemetry.core.store.SaleItem.BY_STORE;
import static kiosk.telemetry.core.store.SaleItem.COUNTRY;
import static kiosk.telemetry.core.store.SaleItem.CREATED_AT;
import static kiosk.telemetry.core.store.SaleItem.CURRENCY;
import static kiosk.telemetry.core.store.SaleItem.DAY;
import static kiosk.telemetry.core.store.SaleItem.DAY_SHARD;
import static kiosk.telemetry.core.store.SaleItem.DEVICE_ID;
import static kiosk.telemetry.core.store.SaleItem.DISCOUNT;
import static kiosk.telemetry.core.store.SaleItem.EXPIRES_AT;
import static kiosk.telemetry.core.store.SaleItem.GROSS;
import static kiosk.telemetry.core.store.SaleItem.GROUP_ID;
import static kiosk.telemetry.core.store.SaleItem.MARGIN;
import static kiosk.telemetry.core.store.SaleItem.NET;
import static kiosk.telemetry.core.store.SaleItem.PAYMENT_METHOD;
import static kiosk.telemetry.core.store.SaleItem.SALE_ID;
import static kiosk.telemetry.core.store.SaleItem.SESSION_ID;
import static kiosk.telemetry.core.store.SaleItem.SETTLEMENT;
import static kiosk.telemetry.core.store.SaleItem.SOLD_AT;
import static kiosk.telemetry.core.store.SaleItem.STORE_ID;
import static kiosk.telemetry.core.store.SaleItem.TAX;
import static kiosk.telemetry.core.store.SaleItem.TS;

/**
 * {@code SalesTable}, items as {@link SaleItem} defines them. The only code that writes it.
 */
@ApplicationScoped
public class SalesTable {

    public record CreateOutcome(boolean created, String ownerDeviceId) {
    }

    private final DynamoDbClient dynamo;
    private final IndexPager pager;
    private final ReportingCalendar calendar;
    private final TelemetryConfig config;
    private final String table;

    public SalesTable(DynamoDbClient dynamo, IndexPager pager, ReportingCalendar calendar, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.pager = pager;
        this.calendar = calendar;
        this.config = config;
        this.table = config.tables().sales();
    }

    public CreateOutcome create(Sale s) {
        LocalDate day = calendar.dayOf(s.soldAt());
        Map<String, AttributeValue> item = new HashMap<>();
        SALE_ID.put(item, s.saleId());
        SESSION_ID.put(item, s.sessionId());
        DEVICE_ID.put(item, s.deviceId());
        STORE_ID.put(item, s.storeId());
        GROUP_ID.put(item, s.groupId());
        COUNTRY.put(item, s.countryCode());
        SOLD_AT.put(item, s.soldAt());
        DAY.put(item, day);
        DAY_SHARD.put(item, SaleItem.dayShard(day, s.saleId(), config.shards().sales()));
        TS.put(item, SaleItem.sortKey(s.soldAt(), s.saleId()));
        CURRENCY.put(item, s.currency());
        PAYMENT_METHOD.put(item, s.paymentMethod());
        GROSS.put(item, s.amounts().gross());
        DISCOUNT.put(item, s.amounts().discount());
        TAX.put(item, s.amounts().tax());
        NET.put(item, s.amounts().net());
        MARGIN.put(item, s.amounts().margin());
        SETTLEMENT.put(item, s.settlement());
        CREATED_AT.put(item, s.createdAt());
        EXPIRES_AT.put(item, calendar.expiresAt(day, config.rawRetention()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SALE_ID.name()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new CreateOutcome(true, s.deviceId());
        } catch (ConditionalCheckFailedException e) {
            String owner = e.hasItem() ? DEVICE_ID.get(e.item()) : null;
            if (owner == null) {
                owner = get(s.saleId()).map(Sale::deviceId).orElse(null);
            }
            return new CreateOutcome(false, owner);
        }
    }

    public Optional<Sale> get(String saleId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(SALE_ID.key(saleId)).consistentRead(true).build());
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toSale(resp.item())) : Optional.empty();
    }

    public IndexPager.Result list(String deviceId, String storeId, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        var spec = ListPlan.on(table, SALE_ID)
                .byPartition(BY_DEVICE, deviceId)
                .byPartition(BY_STORE, storeId)
                .byDays(BY_DAY, daysNewestFirst, config.shards().sales())
                .whereEqual(STORE_ID, storeId)
                .between(from, to)
                .spec();
        return pager.page(spec, limit, cursor, scope);
    }

    public Sale toSale(Map<String, AttributeValue> item) {
        Instant soldAt = SOLD_AT.get(item);
        return new Sale(SALE_ID.get(item), SESSION_ID.get(item), DEVICE_ID.get(item), STORE_ID.get(item), GROUP_ID.get(item),
                COUNTRY.get(item), soldAt, CURRENCY.get(item), PAYMENT_METHOD.get(item),
                new Sale.Amounts(GROSS.get(item), DISCOUNT.get(item), TAX.get(item), NET.get(item), MARGIN.get(item)),
                SETTLEMENT.get(item), calendar.dimensionOf(soldAt), CREATED_AT.get(item));
    }
}
