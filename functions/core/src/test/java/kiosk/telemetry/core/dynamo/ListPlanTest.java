package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.store.DailySummaryItem;
import kiosk.telemetry.core.store.ErrorGroupItem;
import kiosk.telemetry.core.store.Index;
import kiosk.telemetry.core.store.SaleItem;
import kiosk.telemetry.core.store.SessionItem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The read path a list takes, as the pager receives it: index, partitions, filter, range, order, cursor keys. */
class ListPlanTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 30);

    @Test
    void theFirstGivenPartitionWins_andAFilterOnItIsLeftToTheKeyCondition() {
        var spec = ListPlan.on("sessions", SessionItem.SESSION_ID)
                .byPartition(SessionItem.BY_DEVICE, null)
                .byPartition(SessionItem.BY_STORE, "store-12")
                .byPartition(SessionItem.BY_GROUP, "grp-1")
                .byDays(SessionItem.BY_DAY, List.of(DAY), 4)
                .whereEqual(SessionItem.STORE_ID, "store-12")
                .whereEqual(SessionItem.GROUP_ID, "grp-1")
                .whereEqual(SessionItem.STATUS, null)
                .spec();
        assertEquals("store-index", spec.index());
        assertEquals("storeId", spec.partitionAttr());
        assertEquals("ts", spec.sortAttr());
        assertEquals(List.of(List.of("store-12")), spec.groups());
        assertEquals("#f0 = :f0", spec.filter().expression(), "the group is filtered, the store is the key");
        assertEquals(Map.of("#f0", "groupId"), spec.filter().names());
        assertEquals(Map.of(":f0", AttributeValue.fromS("grp-1")), spec.filter().values());
        assertEquals(List.of("sessionId", "storeId", "ts"), spec.keyAttrs());
        assertEquals(true, spec.newestFirst());
    }

    @Test
    void withoutAPartition_theDaysShardsAreRead_newestDayFirst_withTheRangeOnTheSortKey() {
        var spec = ListPlan.on("sales", SaleItem.SALE_ID)
                .byPartition(SaleItem.BY_DEVICE, null)
                .byPartition(SaleItem.BY_STORE, null)
                .byDays(SaleItem.BY_DAY, List.of(DAY, DAY.minusDays(1)), 2)
                .whereEqual(SaleItem.STORE_ID, null)
                .between(Instant.parse("2026-11-29T00:00:00Z"), null)
                .spec();
        assertEquals("day-index", spec.index());
        assertEquals(List.of(List.of("2026-11-30#0", "2026-11-30#1"), List.of("2026-11-29#0", "2026-11-29#1")), spec.groups());
        assertNull(spec.filter().expression());
        assertEquals(new IndexPager.SortRange("2026-11-29T00:00:00.000Z", null), spec.range());
        assertEquals(List.of("saleId", "dayShard", "ts"), spec.keyAttrs());
    }

    @Test
    void filtersOfOtherKinds_andAReadOfTheTablesOwnKey_oldestFirst() {
        var groups = ListPlan.on("groups", ErrorGroupItem.FINGERPRINT, ErrorGroupItem.MEMBER)
                .byPartition(ErrorGroupItem.RECENT, ErrorGroupItem.GROUP_MEMBER)
                .whereBelow(ErrorGroupItem.FIRST_SEEN, Instant.parse("2026-12-01T00:00:00Z"))
                .whereNot(ErrorGroupItem.STATUS, ErrorGroupItem.STATUS_RESOLVED)
                .spec();
        assertEquals("#f0 < :f0 AND #f1 <> :f1", groups.filter().expression());
        assertEquals(Map.of("#f0", "firstSeen", "#f1", "status"), groups.filter().names());
        assertEquals(List.of("fingerprint", "member", "kind", "lastSeen"), groups.keyAttrs());

        var summaries = ListPlan.on("summaries", DailySummaryItem.DEVICE_ID, DailySummaryItem.DATE)
                .byPartition(Index.tableKey(DailySummaryItem.DEVICE_ID, DailySummaryItem.DATE), "kiosk-a")
                .byGroups(DailySummaryItem.BY_DATE, List.of(List.of("x")))
                .between("2026-11-01", "2026-11-30")
                .oldestFirst()
                .spec();
        assertNull(summaries.index(), "the table's own key: a Query without an index name");
        assertEquals(List.of(List.of("kiosk-a")), summaries.groups());
        assertEquals(List.of("deviceId", "date"), summaries.keyAttrs());
        assertEquals(false, summaries.newestFirst());
    }

    @Test
    void aPlanWithNoReadPath_isAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> ListPlan.on("sessions", SessionItem.SESSION_ID)
                .byPartition(SessionItem.BY_DEVICE, null).spec());
    }
}
