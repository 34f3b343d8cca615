package kiosk.telemetry.aggregate.archive;

import org.apache.parquet.schema.MessageType;

import java.util.List;

import static kiosk.telemetry.aggregate.archive.Column.bigint;
import static kiosk.telemetry.aggregate.archive.Column.bool;
import static kiosk.telemetry.aggregate.archive.Column.decimal;
import static kiosk.telemetry.aggregate.archive.Column.json;
import static kiosk.telemetry.aggregate.archive.Column.string;
import static kiosk.telemetry.aggregate.archive.Column.struct;
import static kiosk.telemetry.aggregate.archive.Column.timestamp;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The archived tables of the contract, {@code s3://<bucket>/<name>/dt=YYYY-MM-DD/}, with the API's field names
 * as columns. Storage-only attributes (day shard, sort key, TTL) are not archived. The Glue tables in
 * {@code template.yaml} list exactly these columns (checked by a test).
 */
public record ArchiveTable(String name, List<Column> columns) {

    private static final List<Column> DIMENSIONS = List.of(string("deviceId"), string("storeId"), string("groupId"), string("countryCode"));

    public static final ArchiveTable SESSIONS = new ArchiveTable("sessions", concat(List.of(string("sessionId")), DIMENSIONS, List.of(
            timestamp("startedAt"), timestamp("endedAt"), string("status"), bigint("seq"), string("appVersion"), string("exitReason"),
            json("experiments"), json("funnel"), json("behavior"), timestamp("createdAt"), timestamp("updatedAt"))));

    public static final ArchiveTable SALES = new ArchiveTable("sales", concat(List.of(string("saleId"), string("sessionId")), DIMENSIONS, List.of(
            timestamp("soldAt"), string("currency"), string("paymentMethod"),
            struct("amounts", decimal("gross"), decimal("discount"), decimal("tax"), decimal("net"), decimal("margin")),
            json("settlement"), timestamp("createdAt"))));

    public static final ArchiveTable EVENTS = new ArchiveTable("events", concat(List.of(string("sessionId"), bigint("sequenceNo")), DIMENSIONS, List.of(
            string("eventType"), timestamp("timestamp"), string("screen"), json("properties"), timestamp("receivedAt"))));

    public static final ArchiveTable PERFORMANCE = new ArchiveTable("performance", concat(List.of(string("metricId"), string("sessionId")), DIMENSIONS, List.of(
            string("metricType"), timestamp("timestamp"), bigint("durationMs"), bool("success"), json("breakdown"), json("context"),
            timestamp("receivedAt"))));

    public static final ArchiveTable ERRORS = new ArchiveTable("errors", concat(List.of(string("errorId"), string("sessionId")), DIMENSIONS, List.of(
            timestamp("timestamp"), string("severity"), string("category"), string("code"), string("message"), string("stack"),
            json("breadcrumbs"), json("deviceState"), string("fingerprint"), bool("resolved"), timestamp("resolvedAt"),
            string("resolvedBy"), string("note"), timestamp("receivedAt"))));

    /** One row per summary; {@code aggregatedAt} is left out so a re-run writes byte-identical files. */
    public static final ArchiveTable DAILY_SUMMARY = new ArchiveTable("daily_summary", concat(List.of(string("date")), DIMENSIONS, List.of(
            json("sessions"), json("funnel"), json("sales"), json("performance"), json("errors"), json("events"), json("behavior"),
            json("byHour"), json("experiments"))));

    /**
     * One row per rollup: {@code scopeType} fleet|store|group|country and {@code scopeId} (null for the fleet);
     * {@code aggregatedAt} left out as for summaries.
     */
    public static final ArchiveTable DAILY_ROLLUP = new ArchiveTable("daily_rollup", List.of(string("date"), string("scopeType"),
            string("scopeId"), json("devices"), json("sessions"), json("funnel"), json("sales"), json("performance"), json("errors"),
            json("events"), json("behavior"), json("byHour"), json("experiments")));

    public static final List<ArchiveTable> ALL = List.of(SESSIONS, SALES, EVENTS, PERFORMANCE, ERRORS, DAILY_SUMMARY, DAILY_ROLLUP);

    /** The archived table of a kind the aggregator reads (the kinds are named as their tables). */
    public static ArchiveTable named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no archived table " + name));
    }

    public MessageType schema() {
        return new MessageType(name, columns.stream().map(Column::parquetType).toList());
    }

    /** The folder of one day: {@code <name>/dt=YYYY-MM-DD/}. */
    public String dayPrefix(LocalDate day) {
        return name + "/dt=" + day + "/";
    }

    /** A shard's file name; fixed per (table, day, shard), so a re-run overwrites rather than adds. */
    public static String fileName(int shard) {
        return String.format("part-%05d.parquet", shard);
    }

    @SafeVarargs
    private static List<Column> concat(List<Column>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
