package kiosk.telemetry.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.dynamo.DayShards;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    /** Typed copy of the summary's {@code sessions.total}. */
    public static final ArchiveColumn SESSIONS_TOTAL = ArchiveColumn.bigint("sessionsTotal");
    /**
     * Typed copies of {@code sessions.byStatus}, one column per status: {@code sessionsStarted},
     * {@code sessionsInProgress}, {@code sessionsCompleted}, {@code sessionsAbandoned}, {@code sessionsTimeout},
     * {@code sessionsError}.
     */
    public static final Map<SessionStatus, ArchiveColumn> SESSIONS_BY_STATUS = byStatus();
    /** Typed copy of {@code sessions.conversionRate} (completed / total, 6 decimals; 0 without sessions). */
    public static final ArchiveColumn CONVERSION_RATE = ArchiveColumn.fraction("conversionRate");
    /** Currency to the day's net sales, {@code sales.byCurrency.<CUR>.net} of every currency; empty without sales. */
    public static final ArchiveColumn NET = ArchiveColumn.decimals("net");

    /** The typed figures analysts filter and sum, copied out of the nested summary when it is archived. */
    public static final List<ArchiveColumn> FIGURE_COLUMNS = Columns.concat(List.of(SESSIONS_TOTAL),
            List.copyOf(SESSIONS_BY_STATUS.values()), List.of(CONVERSION_RATE, NET));

    /**
     * The archive's {@code daily_summary} columns: the date, the dimensions, the typed figures, then the summary's
     * sections as JSON text. {@code aggregatedAt} is left out so a re-run writes byte-identical files.
     */
    public static final List<ArchiveColumn> ARCHIVE_COLUMNS = Columns.concat(List.of(ArchiveColumn.string("date")),
            Dimensions.ARCHIVE_COLUMNS, FIGURE_COLUMNS, List.of(ArchiveColumn.json("sessions"), ArchiveColumn.json("funnel"),
                    ArchiveColumn.json("sales"), ArchiveColumn.json("performance"), ArchiveColumn.json("errors"),
                    ArchiveColumn.json("events"), ArchiveColumn.json("behavior"), ArchiveColumn.json("byHour"),
                    ArchiveColumn.json("experiments")));

    private DailySummaryItem() {
    }

    private static Map<SessionStatus, ArchiveColumn> byStatus() {
        Map<SessionStatus, ArchiveColumn> columns = new EnumMap<>(SessionStatus.class);
        for (SessionStatus st : SessionStatus.values()) {
            StringBuilder name = new StringBuilder("sessions");
            Arrays.stream(st.name().split("_")).forEach(w -> name.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1)));
            columns.put(st, ArchiveColumn.bigint(name.toString()));
        }
        return Collections.unmodifiableMap(columns);
    }

    public static String dateShard(LocalDate date, String deviceId, int shards) {
        return DayShards.keyFor(date, deviceId, shards);
    }
}
