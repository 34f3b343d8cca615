package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.dynamo.DayShards;

import java.time.LocalDate;
import java.util.List;

/**
 * A device's daily summary (DailySummaries table): key {@code deviceId} + {@code date}; {@code date-index}
 * ({@code dateShard}, {@code deviceId}) lists a day's summaries. The summary is one JSON attribute, overwritten whole
 * by a re-run; its dimensions are copied beside it for filters.
 */
public final class DailySummaryItem {

    public static final Attribute<String> DEVICE_ID = Dimensions.DEVICE_ID;
    public static final Attribute<LocalDate> DATE = Attribute.date("date");
    public static final Attribute<String> DATE_SHARD = Attribute.text("dateShard");
    public static final Attribute<String> STORE_ID = Dimensions.STORE_ID;
    public static final Attribute<String> GROUP_ID = Dimensions.GROUP_ID;
    public static final Attribute<String> COUNTRY = Dimensions.COUNTRY;
    public static final Attribute<JsonNode> SUMMARY = Attribute.json("summary");

    public static final Index BY_DATE = new Index("date-index", DATE_SHARD, DEVICE_ID);

    /**
     * The archive's {@code daily_summary} columns: the summary's fields (nested ones as JSON text). {@code aggregatedAt}
     * is left out so a re-run writes byte-identical files.
     */
    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(List.of(ArchiveColumn.string("date")),
            Dimensions.ARCHIVE_COLUMNS, List.of(ArchiveColumn.json("sessions"), ArchiveColumn.json("funnel"), ArchiveColumn.json("sales"),
                    ArchiveColumn.json("performance"), ArchiveColumn.json("errors"), ArchiveColumn.json("events"),
                    ArchiveColumn.json("behavior"), ArchiveColumn.json("byHour"), ArchiveColumn.json("experiments")));

    private DailySummaryItem() {
    }

    public static String dateShard(LocalDate date, String deviceId, int shards) {
        return DayShards.keyFor(date, deviceId, shards);
    }
}
