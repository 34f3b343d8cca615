package kiosk.telemetry.session.sale;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code SalesTable}: key {@code saleId}. Sales never change after the first write, so the day, device and
 * store indexes project everything. Amounts are DynamoDB numbers (exact decimals). The only code touching it.
 */
@ApplicationScoped
public class SalesTable {

    static final String SALE_ID = "saleId";
    static final String SESSION_ID = "sessionId";
    static final String DEVICE_ID = "deviceId";
    static final String STORE_ID = "storeId";
    static final String GROUP_ID = "groupId";
    static final String COUNTRY = "countryCode";
    static final String SOLD_AT = "soldAt";
    static final String DAY = "day";
    static final String DAY_SHARD = "dayShard";
    static final String TS = "ts";
    static final String CURRENCY = "currency";
    static final String PAYMENT_METHOD = "paymentMethod";
    static final String GROSS = "gross";
    static final String DISCOUNT = "discount";
    static final String TAX = "tax";
    static final String NET = "net";
    static final String MARGIN = "margin";
    static final String SETTLEMENT = "settlement";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";

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
        item.put(SALE_ID, Attr.s(s.saleId()));
        item.put(SESSION_ID, Attr.s(s.sessionId()));
        item.put(DEVICE_ID, Attr.s(s.deviceId()));
        Attr.putS(item, STORE_ID, s.storeId());
        Attr.putS(item, GROUP_ID, s.groupId());
        Attr.putS(item, COUNTRY, s.countryCode());
        item.put(SOLD_AT, Attr.s(Timestamps.format(s.soldAt())));
        item.put(DAY, Attr.s(day.toString()));
        item.put(DAY_SHARD, Attr.s(DayShards.keyFor(day, s.saleId(), config.shards().sales())));
        item.put(TS, Attr.s(Timestamps.format(s.soldAt()) + "#" + s.saleId()));
        item.put(CURRENCY, Attr.s(s.currency()));
        item.put(PAYMENT_METHOD, Attr.s(s.paymentMethod()));
        item.put(GROSS, Attr.n(s.amounts().gross()));
        item.put(DISCOUNT, Attr.n(s.amounts().discount()));
        item.put(TAX, Attr.n(s.amounts().tax()));
        item.put(NET, Attr.n(s.amounts().net()));
        if (s.amounts().margin() != null) {
            item.put(MARGIN, Attr.n(s.amounts().margin()));
        }
        if (s.settlement() != null) {
            item.put(SETTLEMENT, Attr.s(Json.write(s.settlement())));
        }
        item.put(CREATED_AT, Attr.s(Timestamps.format(s.createdAt())));
        item.put(EXPIRES_AT, Attr.n(calendar.expiresAt(day, config.rawRetention())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SALE_ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new CreateOutcome(true, s.deviceId());
        } catch (ConditionalCheckFailedException e) {
            String owner = e.hasItem() ? Attr.str(e.item(), DEVICE_ID) : null;
            if (owner == null) {
                owner = get(s.saleId()).map(Sale::deviceId).orElse(null);
            }
            return new CreateOutcome(false, owner);
        }
    }

    public Optional<Sale> get(String saleId) {
        var resp = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(SALE_ID, Attr.s(saleId))).consistentRead(true).build());
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toSale(resp.item())) : Optional.empty();
    }

    public IndexPager.Result list(String deviceId, String storeId, Instant from, Instant to, List<LocalDate> daysNewestFirst,
                                  int limit, String cursor, String scope) {
        String index;
        String pkAttr;
        List<List<String>> groups;
        if (deviceId != null) {
            index = "device-index";
            pkAttr = DEVICE_ID;
            groups = List.of(List.of(deviceId));
        } else if (storeId != null) {
            index = "store-index";
            pkAttr = STORE_ID;
            groups = List.of(List.of(storeId));
        } else {
            index = "day-index";
            pkAttr = DAY_SHARD;
            groups = daysNewestFirst.stream().map(d -> DayShards.allKeys(d, config.shards().sales())).toList();
        }
        IndexPager.Filter filter = IndexPager.Filter.none();
        if (deviceId != null && storeId != null) {
            filter = new IndexPager.Filter("#store = :store", Map.of("#store", STORE_ID), Map.of(":store", Attr.s(storeId)));
        }
        var range = new IndexPager.SortRange(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
        var spec = new IndexPager.Spec(table, index, pkAttr, TS, new ArrayList<>(List.of(SALE_ID, pkAttr, TS)), groups, range, filter, true);
        return pager.page(spec, limit, cursor, scope);
    }

    public Sale toSale(Map<String, AttributeValue> item) {
        Instant soldAt = Timestamps.parse(Attr.str(item, SOLD_AT));
        String settlement = Attr.str(item, SETTLEMENT);
        return new Sale(Attr.str(item, SALE_ID), Attr.str(item, SESSION_ID), Attr.str(item, DEVICE_ID),
                Attr.str(item, STORE_ID), Attr.str(item, GROUP_ID), Attr.str(item, COUNTRY), soldAt,
                Attr.str(item, CURRENCY), Attr.str(item, PAYMENT_METHOD),
                new Sale.Amounts(Attr.decimal(item, GROSS), Attr.decimal(item, DISCOUNT), Attr.decimal(item, TAX),
                        Attr.decimal(item, NET), Attr.decimal(item, MARGIN)),
                settlement == null ? null : Json.readStored(settlement),
                calendar.dimensionOf(soldAt), Timestamps.parse(Attr.str(item, CREATED_AT)));
    }
}
