package kiosk.telemetry.aggregate.archive;

import kiosk.telemetry.core.store.ArchiveColumn;
import kiosk.telemetry.core.store.DailyRollupItem;
import kiosk.telemetry.core.store.DailySummaryItem;
import kiosk.telemetry.core.store.ErrorItem;
import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.store.TimingItem;
import kiosk.telemetry.core.store.SaleItem;
import kiosk.telemetry.core.store.SessionItem;
import org.apache.parquet.schema.MessageType;

import java.time.LocalDate;
import java.util.List;

/**
 * The archived tables, {@code s3://<bucket>/<name>/dt=YYYY-MM-DD/}, with the columns their record definitions give
 * (the API's field names; storage-only attributes such as the day shard, sort key and TTL are not archived). The Glue
 * tables in {@code template.yaml} list exactly these columns (checked by a test).
 */
public record ArchiveTable(String name, List<ArchiveColumn> columns) {

    public static final ArchiveTable SESSIONS = new ArchiveTable("sessions", SessionItem.ARCHIVE_COLUMNS);
    public static final ArchiveTable SALES = new ArchiveTable("sales", SaleItem.ARCHIVE_COLUMNS);
    public static final ArchiveTable EVENTS = new ArchiveTable("events", EventItem.ARCHIVE_COLUMNS);
    public static final ArchiveTable PERFORMANCE = new ArchiveTable("performance", TimingItem.ARCHIVE_COLUMNS);
    public static final ArchiveTable ERRORS = new ArchiveTable("errors", ErrorItem.ARCHIVE_COLUMNS);
    /** One row per summary. */
    public static final ArchiveTable DAILY_SUMMARY = new ArchiveTable("daily_summary", DailySummaryItem.ARCHIVE_COLUMNS);
    /** One row per rollup. */
    public static final ArchiveTable DAILY_ROLLUP = new ArchiveTable("daily_rollup", DailyRollupItem.ARCHIVE_COLUMNS);

    public static final List<ArchiveTable> ALL = List.of(SESSIONS, SALES, EVENTS, PERFORMANCE, ERRORS, DAILY_SUMMARY, DAILY_ROLLUP);

    /** The archived table of a kind the aggregator reads (the kinds are named as their tables). */
    public static ArchiveTable named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no archived table " + name));
    }

    public MessageType schema() {
        return new MessageType(name, columns.stream().map(ParquetTypes::of).toList());
    }

    /** The folder of one day: {@code <name>/dt=YYYY-MM-DD/}. */
    public String dayPrefix(LocalDate day) {
        return name + "/dt=" + day + "/";
    }

    /** A shard's file name; fixed per (table, day, shard), so a re-run overwrites rather than adds. */
    public static String fileName(int shard) {
        return String.format("part-%05d.parquet", shard);
    }
}
