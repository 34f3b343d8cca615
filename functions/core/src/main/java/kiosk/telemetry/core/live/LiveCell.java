package kiosk.telemetry.core.live;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.store.LiveTotalItem;
import kiosk.telemetry.core.summary.SummaryWriter;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stored cell of today's running totals, read back: its store, group and country, the devices it counted, and
 * its figures in the daily summary's shape ({@code sessions}, {@code sales}, {@code errors}), so they sum like
 * summaries.
 */
public record LiveCell(String storeId, String groupId, String countryCode, long reporting, long active, ObjectNode figures) {

    public static LiveCell of(Map<String, AttributeValue> item) {
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> byCurrency = new TreeMap<>();
        Map<String, Long> methodCount = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> methodNet = new TreeMap<>();
        Map<String, Long> bySeverity = new TreeMap<>();
        Map<String, Long> byCategory = new TreeMap<>();
        item.forEach((name, value) -> {
            if (value.n() == null) {
                return;
            }
            BigDecimal n = new BigDecimal(value.n());
            if (name.startsWith(LiveTotalItem.STATUS)) {
                byStatus.put(name.substring(LiveTotalItem.STATUS.length()), n.longValue());
            } else if (name.startsWith(LiveTotalItem.METHOD_NET)) {
                String rest = name.substring(LiveTotalItem.METHOD_NET.length());
                int dot = rest.lastIndexOf('.');
                methodNet.computeIfAbsent(rest.substring(0, dot), m -> new TreeMap<>()).put(rest.substring(dot + 1), n);
            } else if (name.startsWith(LiveTotalItem.METHOD)) {
                methodCount.put(name.substring(LiveTotalItem.METHOD.length()), n.longValue());
            } else if (name.startsWith(LiveTotalItem.SEVERITY)) {
                bySeverity.put(name.substring(LiveTotalItem.SEVERITY.length()), n.longValue());
            } else if (name.startsWith(LiveTotalItem.CATEGORY)) {
                byCategory.put(name.substring(LiveTotalItem.CATEGORY.length()), n.longValue());
            } else {
                int dot = name.indexOf('.');
                if (dot > 0 && SummaryWriter.SALE_AMOUNTS.contains(name.substring(0, dot))) {
                    byCurrency.computeIfAbsent(name.substring(dot + 1), c -> new TreeMap<>()).put(name.substring(0, dot), n);
                }
            }
        });
        byCurrency.values().forEach(sums -> SummaryWriter.SALE_AMOUNTS.forEach(a -> sums.putIfAbsent(a, BigDecimal.ZERO)));
        methodCount.keySet().forEach(m -> methodNet.putIfAbsent(m, new TreeMap<>()));

        ObjectNode figures = JsonNodeFactory.instance.objectNode();
        SummaryWriter.sessions(figures, LiveTotalItem.SESSIONS.get(item, 0L), byStatus, LiveTotalItem.DURATION_MS_SUM.get(item, 0L),
                LiveTotalItem.ENDED.get(item, 0L));
        SummaryWriter.sales(figures, LiveTotalItem.SALES.get(item, 0L), byCurrency, methodCount, methodNet);
        SummaryWriter.errors(figures, LiveTotalItem.ERRORS.get(item, 0L), bySeverity, byCategory);
        return new LiveCell(LiveTotalItem.STORE_ID.get(item), LiveTotalItem.GROUP_ID.get(item), LiveTotalItem.COUNTRY.get(item),
                LiveTotalItem.REPORTING.get(item, 0L), LiveTotalItem.ACTIVE.get(item, 0L), figures);
    }
}
