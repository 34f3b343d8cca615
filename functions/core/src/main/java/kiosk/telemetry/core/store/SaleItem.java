package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;
import kiosk.telemetry.core.json.Timestamps;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stored sale (Sales table): key {@code saleId}. Never changed after the first write, so its day, device and store
 * indexes project everything; sorted by {@code ts = soldAt#saleId}. Amounts are DynamoDB numbers (exact decimals),
 * stored flat and archived as the {@code amounts} struct.
 */
public final class SaleItem {

    public static final Attribute<String> SALE_ID = Attribute.text("saleId");
    public static final Attribute<String> SESSION_ID = Attribute.text("sessionId");
    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<Instant> SOLD_AT = Attribute.instant("soldAt");
    public static final Attribute<LocalDate> DAY = Attribute.date("day");
    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> TS = Attribute.text("ts");
    public static final Attribute<String> CURRENCY = Attribute.text("currency");
    public static final Attribute<String> PAYMENT_METHOD = Attribute.text("paymentMethod");
    public static final Attribute<BigDecimal> GROSS = Attribute.decimal("gross");
    public static final Attribute<BigDecimal> DISCOUNT = Attribute.decimal("discount");
    public static final Attribute<BigDecimal> TAX = Attribute.decimal("tax");
    public static final Attribute<BigDecimal> NET = Attribute.decimal("net");
    public static final Attribute<BigDecimal> MARGIN = Attribute.decimal("margin");
    public static final Attribute<JsonNode> SETTLEMENT = Attribute.json("settlement");
    public static final Attribute<Instant> CREATED_AT = Attribute.instant("createdAt");
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    /** The amounts, in the order of the archive's {@code amounts} struct. */
    public static final List<Attribute<BigDecimal>> AMOUNTS = List.of(GROSS, DISCOUNT, TAX, NET, MARGIN);

    public static final Index BY_DAY = new Index("day-index", DAY_SHARD, TS);
    public static final Index BY_DEVICE = new Index("device-index", DEVICE_ID, TS);
    public static final Index BY_STORE = new Index("store-index", STORE_ID, TS);

    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(ArchiveColumn.columns(SALE_ID, SESSION_ID),
            Dimensions.ARCHIVE_COLUMNS, ArchiveColumn.columns(SOLD_AT, CURRENCY, PAYMENT_METHOD),
            List.of(ArchiveColumn.struct("amounts", GROSS, DISCOUNT, TAX, NET, MARGIN)), ArchiveColumn.columns(SETTLEMENT, CREATED_AT));

    private SaleItem() {
    }

    public static String dayShard(LocalDate day, String saleId, int shards) {
        return DayShards.keyFor(day, saleId, shards);
    }

    public static String sortKey(Instant soldAt, String saleId) {
        return Timestamps.format(soldAt) + "#" + saleId;
    }
}
