package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.archive.ArchiveTable;
import kiosk.telemetry.aggregate.archive.ArchiveWriter;
import kiosk.telemetry.aggregate.archive.DayArchive;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Rolls one reporting day up into one summary per device and archives it: reads the day of every kind (sessions
 * by {@code startedAt}, the others by their own time) shard by shard, folds each record into its device's
 * {@link DeviceDay} and streams it into the shard's Parquet file, checks that every record read was summarised
 * and archived, writes the summaries, then publishes the day's archive. Deterministic: a re-run of the same
 * records writes the same summaries but for {@code aggregatedAt}.
 * <p>
 * The records are read by the attribute names their tables store them under, which are the API's field names
 * (docs/architecture.md); the ingestion functions are those tables' only writers.
 */
public final class DayAggregation {

    private static final Logger LOG = Logger.getLogger(DayAggregation.class);

    /** What a day's run read (= summarised = archived, verified), per kind, and the day's archive objects. */
    public record DayResult(LocalDate date, int devices, Map<String, Long> records, int archivedObjects) {
    }

    public record Sources(DayReader.DaySource sessions, DayReader.DaySource sales, DayReader.DaySource performance,
                          DayReader.DaySource errors, DayReader.SessionDaySource events, String devicesTable) {
    }

    private final DynamoDbClient dynamo;
    private final DayReader reader;
    private final Sources sources;
    private final DailySummariesTable summaries;
    private final DailyRollupsTable rollups;
    private final ArchiveWriter archives;
    private final ZoneId zone;

    /** {@code zone}: the reporting zone, whose hours the summaries' {@code byHour} counts. */
    public DayAggregation(DynamoDbClient dynamo, DayReader reader, Sources sources, DailySummariesTable summaries, DailyRollupsTable rollups,
                          ArchiveWriter archives, ZoneId zone) {
        this.rollups = rollups;
        this.zone = zone;
        this.dynamo = dynamo;
        this.reader = reader;
        this.sources = sources;
        this.summaries = summaries;
        this.archives = archives;
    }

    /**
     * Approves what a run read before anything of the day is written: it may refuse (throw), for example when the
     * day's archive already holds more records than the run found.
     */
    public interface PublishCheck {
        PublishCheck ANY = read -> { };

        void approve(Map<String, Long> read);
    }

    /** Summarises and archives one day for run {@code runId}, whatever the day's archive held before. */
    public DayResult aggregate(LocalDate day, String runId, Instant now) {
        return aggregate(day, runId, now, PublishCheck.ANY);
    }

    /**
     * Summarises and archives one day for run {@code runId}. Any failure (a read, a check, {@code check}'s
     * refusal, an S3 write) throws before the day's summaries or published archive are touched, and the run's
     * staged files are removed.
     */
    public DayResult aggregate(LocalDate day, String runId, Instant now, PublishCheck check) {
        DayArchive archive = archives.open(day, runId);
        try {
            return aggregate(day, now, archive, check);
        } catch (RuntimeException e) {
            try {
                archive.discard();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private DayResult aggregate(LocalDate day, Instant now, DayArchive archive, PublishCheck check) {
        long t0 = System.nanoTime();
        Map<String, DeviceDay> devices = new ConcurrentHashMap<>();
        Map<String, Long> read = new LinkedHashMap<>();
        read.put("sessions", read(sources.sessions(), day, archive, ArchiveTable.SESSIONS, it -> device(devices, it).addSession(
                Attr.str(it, "sessionId"), Attr.str(it, "status"), instant(it, "startedAt"), instant(it, "endedAt"), json(it, "funnel"),
                json(it, "behavior"), json(it, "experiments"))));
        read.put("sales", read(sources.sales(), day, archive, ArchiveTable.SALES, it -> device(devices, it).addSale(
                Attr.str(it, "sessionId"), instant(it, "soldAt"), Attr.str(it, "currency"), Attr.str(it, "paymentMethod"), amounts(it))));
        read.put("performance", read(sources.performance(), day, archive, ArchiveTable.PERFORMANCE, it -> device(devices, it).addMetric(
                Attr.str(it, "metricType"), Attr.num(it, "durationMs"), Attr.flag(it, "success"))));
        read.put("errors", read(sources.errors(), day, archive, ArchiveTable.ERRORS, it -> device(devices, it).addError(
                instant(it, "timestamp"), Attr.str(it, "severity"), Attr.str(it, "category"))));
        read.put("events", read(sources.events(), day, archive, ArchiveTable.EVENTS, it -> device(devices, it).addEvent(Attr.str(it, "eventType"))));

        long t1 = System.nanoTime();
        LOG.infof("%s: read, summarised and staged %s in %d ms", day, read, (t1 - t0) / 1_000_000);
        Map<String, DeviceDay.Dimensions> dims = dimensions(new ArrayList<>(devices.keySet()));
        String aggregatedAt = Timestamps.format(now);
        List<ObjectNode> daySummaries = new ArrayList<>();
        for (DeviceDay d : new TreeMap<>(devices).values()) {
            daySummaries.add(d.summary(day.toString(), dims.getOrDefault(d.deviceId(), DeviceDay.Dimensions.of(null, null, null)), aggregatedAt));
        }
        archive.addAll(ArchiveTable.DAILY_SUMMARY, daySummaries.stream().map(DayAggregation::row).toList());
        List<ObjectNode> dayRollups = Rollups.of(day.toString(), daySummaries, aggregatedAt);
        archive.addAll(ArchiveTable.DAILY_ROLLUP, dayRollups.stream().map(DayAggregation::rollupRow).toList());
        verify(day, read, devices.values(), archive, daySummaries.size(), dayRollups.size());
        check.approve(read);

        long t2 = System.nanoTime();
        List<List<ObjectNode>> batches = new ArrayList<>();
        for (int i = 0; i < daySummaries.size(); i += DailySummariesTable.BATCH) {
            batches.add(daySummaries.subList(i, Math.min(daySummaries.size(), i + DailySummariesTable.BATCH)));
        }
        reader.inParallel(batches, summaries::putBatch);
        rollups.replaceDay(day, dayRollups);
        long t3 = System.nanoTime();
        int objects = archive.publish(reader::runAll);
        long t4 = System.nanoTime();
        LOG.infof("%s: %d summaries and %d rollups archived in %d ms, written in %d ms; %d archive objects published in %d ms", day,
                daySummaries.size(), dayRollups.size(), (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, objects, (t4 - t3) / 1_000_000);
        return new DayResult(day, devices.size(), read, objects);
    }

    private long read(DayReader.Source source, LocalDate day, DayArchive archive, ArchiveTable table,
                      Consumer<Map<String, AttributeValue>> fold) {
        return reader.readShards(source, day, shard -> {
            DayArchive.ShardWriter w = archive.shard(table, shard, fold);
            return new DayReader.ShardSink() {
                @Override
                public void accept(Map<String, AttributeValue> item) {
                    w.add(item);
                }

                @Override
                public void finish() {
                    w.finish();
                }

                @Override
                public void abort() {
                    w.abort();
                }
            };
        });
    }

    /**
     * Every record read must have been folded into exactly one device's day and written to exactly one archive
     * file, and every summary archived; any mismatch fails the run before anything is published.
     */
    private static void verify(LocalDate day, Map<String, Long> read, Iterable<DeviceDay> devices, DayArchive archive, int summaryCount,
                               int rollupCount) {
        Map<String, Long> folded = new HashMap<>();
        for (DeviceDay d : devices) {
            d.counts().forEach((k, v) -> folded.merge(k, v, Long::sum));
        }
        read.forEach((kind, n) -> {
            long f = folded.getOrDefault(kind, 0L);
            long a = archive.rows(ArchiveTable.named(kind));
            if (f != n || a != n) {
                throw new IllegalStateException("verification failed for " + day + " " + kind + ": read " + n + ", summarised " + f
                        + ", archived " + a);
            }
        });
        long archivedSummaries = archive.rows(ArchiveTable.DAILY_SUMMARY);
        if (archivedSummaries != summaryCount) {
            throw new IllegalStateException("verification failed for " + day + " daily_summary: " + summaryCount + " summaries, archived "
                    + archivedSummaries);
        }
        long archivedRollups = archive.rows(ArchiveTable.DAILY_ROLLUP);
        if (archivedRollups != rollupCount) {
            throw new IllegalStateException("verification failed for " + day + " daily_rollup: " + rollupCount + " rollups, archived "
                    + archivedRollups);
        }
    }

    /** A rollup as an archive row: its scope as {@code scopeType} and {@code scopeId}, nested objects as JSON text. */
    private static Map<String, AttributeValue> rollupRow(ObjectNode rollup) {
        Map<String, AttributeValue> row = row(rollup);
        Rollups.Scope scope = Rollups.scopeOf(rollup);
        row.remove("scope");
        row.put("scopeType", AttributeValue.fromS(scope.type().name()));
        if (scope.type() != Rollups.ScopeType.fleet) {
            row.put("scopeId", AttributeValue.fromS(scope.id()));
        }
        return row;
    }

    /** A summary as an archive row: text fields as they are, nested objects as their JSON text. */
    private static Map<String, AttributeValue> row(ObjectNode summary) {
        Map<String, AttributeValue> row = new HashMap<>();
        summary.fields().forEachRemaining(f -> row.put(f.getKey(),
                f.getValue().isTextual() ? AttributeValue.fromS(f.getValue().asText()) : AttributeValue.fromS(Json.write(f.getValue()))));
        return row;
    }

    private DeviceDay device(Map<String, DeviceDay> devices, Map<String, AttributeValue> item) {
        String id = Attr.str(item, "deviceId");
        return devices.computeIfAbsent(id == null ? "unknown" : id, d -> new DeviceDay(d, zone));
    }

    private Map<String, DeviceDay.Dimensions> dimensions(List<String> deviceIds) {
        List<Map<String, AttributeValue>> keys = deviceIds.stream().map(id -> Map.of("deviceId", AttributeValue.fromS(id))).toList();
        Map<String, DeviceDay.Dimensions> out = new HashMap<>();
        for (var it : BatchReader.read(dynamo, sources.devicesTable(), "deviceId", keys)) {
            out.put(Attr.str(it, "deviceId"), DeviceDay.Dimensions.of(Attr.str(it, "storeId"), Attr.str(it, "groupId"), Attr.str(it, "countryCode")));
        }
        return out;
    }

    private static Map<String, BigDecimal> amounts(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String a : List.of("gross", "discount", "tax", "net", "margin")) {
            BigDecimal v = Attr.decimal(item, a);
            if (v != null) {
                out.put(a, v);
            }
        }
        return out;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Timestamps.parse(s);
    }

    private static JsonNode json(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Json.readStored(s);
    }
}
