package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;

/**
 * The current reporting day's running totals (LiveTotals table), counted at ingest for {@code /api/insights/today}.
 * Two kinds of item share the table:
 * <ul>
 *   <li>a <b>cell</b>: the totals of every device of one (store, group, country), key {@code dayShard} =
 *       {@code <date>#<n>} (n from the cell, so a day's cells spread over a few partitions) + {@code key} = the cell
 *       ({@code ["store","group","country"]}), with the three dimensions beside it and one number attribute per counter,
 *       added to with {@code ADD};</li>
 *   <li>a device's <b>mark</b> of the day, key {@code <date>#devices#<n>} + the device id: whether the device has
 *       reported a record that day and whether it has started a session, so each device is counted once.</li>
 * </ul>
 * Counter attribute names are built here and only here: {@code sessionCount}, {@code status.<status>}, {@code ended},
 * {@code durationMsSum}, {@code saleCount}, {@code <amount>.<currency>} (gross, discount, tax, net, margin),
 * {@code method.<method>}, {@code methodNet.<method>.<currency>}, {@code errorCount}, {@code severity.<s>},
 * {@code category.<c>}, {@code reporting}, {@code active}. Items expire ({@code expiresAt}) two days after their day.
 */
public final class LiveTotalItem {

    public static final Attribute<String> DAY_SHARD = Attribute.text("dayShard");
    public static final Attribute<String> KEY = Attribute.text("key");
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<Long> EXPIRES_AT = Attribute.number("expiresAt");

    /** On a mark: the device has reported a record of the day. */
    public static final Attribute<Boolean> REPORTED = Attribute.flag("reported");
    /** On a mark: the device has started a session of the day. */
    public static final Attribute<Boolean> STARTED_SESSION = Attribute.flag("startedSession");

    public static final Attribute<Long> SESSIONS = Attribute.number("sessionCount");
    public static final Attribute<Long> ENDED = Attribute.number("ended");
    public static final Attribute<Long> DURATION_MS_SUM = Attribute.number("durationMsSum");
    public static final Attribute<Long> SALES = Attribute.number("saleCount");
    public static final Attribute<Long> ERRORS = Attribute.number("errorCount");
    public static final Attribute<Long> REPORTING = Attribute.number("reporting");
    public static final Attribute<Long> ACTIVE = Attribute.number("active");

    public static final String STATUS = "status.";
    public static final String METHOD = "method.";
    public static final String METHOD_NET = "methodNet.";
    public static final String SEVERITY = "severity.";
    public static final String CATEGORY = "category.";

    private LiveTotalItem() {
    }

    public static Attribute<Long> status(String status) {
        return Attribute.number(STATUS + status);
    }

    /** A sale amount ({@code gross}, {@code net}, …) in one currency. */
    public static Attribute<BigDecimal> amount(String amount, String currency) {
        return Attribute.decimal(amount + "." + currency);
    }

    public static Attribute<Long> method(String method) {
        return Attribute.number(METHOD + method);
    }

    public static Attribute<BigDecimal> methodNet(String method, String currency) {
        return Attribute.decimal(METHOD_NET + method + "." + currency);
    }

    public static Attribute<Long> severity(String severity) {
        return Attribute.number(SEVERITY + severity);
    }

    public static Attribute<Long> category(String category) {
        return Attribute.number(CATEGORY + category);
    }

    /** A day's cell partition. */
    public static String cellShard(String date, int shard) {
        return date + "#" + shard;
    }

    /** A day's device-mark partition. */
    public static String markShard(String date, int shard) {
        return date + "#devices#" + shard;
    }

    /** A cell's sort key: the three ids as a JSON array, so no id can run into the next. */
    public static String cell(String storeId, String groupId, String countryCode) {
        ArrayNode key = JsonNodeFactory.instance.arrayNode().add(storeId).add(groupId).add(countryCode);
        return key.toString();
    }
}
