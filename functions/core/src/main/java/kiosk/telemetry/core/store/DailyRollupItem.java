package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;

/**
 * One day's rollup of a scope (DailyRollups table): key {@code scope} ({@code fleet}, {@code store#12}, ...) +
 * {@code date}; {@code date-index} ({@code date}, {@code scope}) lists a day's rollups. The rollup is one JSON
 * attribute, with its scope type and id beside it.
 */
public final class DailyRollupItem {

    public static final Attribute<String> SCOPE = Attribute.text("scope");
    public static final Attribute<LocalDate> DATE = Attribute.date("date");
    public static final Attribute<String> SCOPE_TYPE = Attribute.text("scopeType");
    public static final Attribute<String> SCOPE_ID = Attribute.text("scopeId");
    public static final Attribute<JsonNode> ROLLUP = Attribute.json("rollup");

    public static final Index BY_DATE = new Index("date-index", DATE, SCOPE);

    /**
     * The archive's {@code daily_rollup} columns: scope type and id (null for the fleet), then the rollup's fields as
     * JSON text; {@code aggregatedAt} left out as for summaries.
     */
    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = List.of(ArchiveColumn.string("date"), ArchiveColumn.of(SCOPE_TYPE),
            ArchiveColumn.of(SCOPE_ID), ArchiveColumn.json("devices"), ArchiveColumn.json("sessions"), ArchiveColumn.json("funnel"),
            ArchiveColumn.json("sales"), ArchiveColumn.json("performance"), ArchiveColumn.json("errors"), ArchiveColumn.json("events"),
            ArchiveColumn.json("behavior"), ArchiveColumn.json("byHour"), ArchiveColumn.json("experiments"));

    private DailyRollupItem() {
    }
}
