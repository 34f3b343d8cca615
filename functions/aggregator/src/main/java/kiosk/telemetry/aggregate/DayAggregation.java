package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.archive.ArchiveTable;
import kiosk.telemetry.aggregate.archive.ArchiveWriter;
import kiosk.telemetry.aggregate.archive.DayArchive;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.DeviceItem;
import kiosk.telemetry.core.store.Dimensions;
import kiosk.telemetry.core.store.ErrorItem;
import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.store.MetricItem;
import kiosk.telemetry.core.store.SaleItem;
import kiosk.telemetry.core.store.SessionItem;
import kiosk.telemetry.core.store.TimingItem;
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
 * The records are read through their definitions in {@code kiosk.telemetry.core.store}, which their writers (the
 * ingestion functions) use too.
 */
public final class DayAggregation {

    private static final Logger LOG = Logger.getLogger(DayAggregation.class);

    /** What a day's run read (= summarised = archived, verified), per kind, and the day's archive objects. */
    public record DayResult(LocalDate date, int devices, Map<String, Long> records, int archivedObjects) {
    }

    public record Sources(DayReader.DaySource sessions, DayReader.DaySource sales, DayReader.SessionDaySource performance,
                          DayReader.DaySource errors, DayReader.SessionDaySource events, String devicesTable) {

        /** Where the configured tables hold each kind's day. */
        public static Sources of(TelemetryConfig config) {
            var t = config.tables();
            var sh = config.shards();
            if (sh.metrics() > sh.events()) {
                // old timings are read shard by shard inside the directory's shards: more old shards would go unread
                throw new IllegalStateException("telemetry.shards.metrics (" + sh.metrics() + ") must not exceed telemetry.shards.events ("
                        + sh.events() + ")");
            }
            return new Sources(
                    new DayReader.DaySource("sessions", t.sessions(), SessionItem.BY_DAY, sh.sessions(), SessionItem.SESSION_ID, true),
                    new DayReader.DaySource("sales", t.sales(), SaleItem.BY_DAY, sh.sales(), SaleItem.SALE_ID, false),
                    new DayReader.SessionDaySource("performance", t.timings(), TimingItem.SESSION_KEY, TimingItem.DAY, t.eventSessionDays(),
                            sh.events(), config.legacy().metricsTable() ? new DayReader.LegacyDayIndex(t.metrics(), MetricItem.BY_DAY, sh.metrics()) : null),
                    new DayReader.DaySource("errors", t.errors(), ErrorItem.BY_DAY, sh.errors(), ErrorItem.ERROR_ID, false),
                    new DayReader.SessionDaySource("events", t.events(), EventItem.SESSION_ID, EventItem.DAY, t.eventSessionDays(), sh.events(),
                            config.legacy().eventIndexes() ? new DayReader.LegacyDayIndex(t.events(), EventItem.LEGACY_BY_DAY, sh.events()) : null),
                    t.devices());
        }
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
                SessionItem.SESSION_ID.get(it), SessionItem.STATUS.get(it), SessionItem.STARTED_AT.get(it), SessionItem.ENDED_AT.get(it),
                SessionItem.FUNNEL.get(it), SessionItem.BEHAVIOR.get(it), SessionItem.EXPERIMENTS.get(it))));
        read.put("sales", read(sources.sales(), day, archive, ArchiveTable.SALES, it -> device(devices, it).addSale(
                SaleItem.SESSION_ID.get(it), SaleItem.SOLD_AT.get(it), SaleItem.CURRENCY.get(it), SaleItem.PAYMENT_METHOD.get(it),
                amounts(it))));
        laterSales(day, devices);
        read.put("performance", read(sources.performance(), day, archive, ArchiveTable.PERFORMANCE, it -> device(devices, it).addMetric(
                TimingItem.METRIC_TYPE.get(it), TimingItem.DURATION_MS.get(it), TimingItem.SUCCESS.get(it, false))));
        read.put("errors", read(sources.errors(), day, archive, ArchiveTable.ERRORS, it -> device(devices, it).addError(
                ErrorItem.TIMESTAMP.get(it), ErrorItem.SEVERITY.get(it), ErrorItem.CATEGORY.get(it))));
        read.put("events", read(sources.events(), day, archive, ArchiveTable.EVENTS,
                it -> device(devices, it).addEvent(EventItem.EVENT_TYPE.get(it))));

        long t1 = System.nanoTime();
        LOG.infof("%s: read, summarised and staged %s in %d ms", day, read, (t1 - t0) / 1_000_000);
        Map<String, DeviceDay.Dimensions> dims = dimensions(new ArrayList<>(devices.keySet()));
        String aggregatedAt = Timestamps.format(now);
        List<ObjectNode> daySummaries = new ArrayList<>();
        for (DeviceDay d : new TreeMap<>(devices).values()) {
            daySummaries.add(d.summary(day.toString(), dims.getOrDefault(d.deviceId(), DeviceDay.Dimensions.of(null, null, null)), aggregatedAt));
        }
        archive.addAll(ArchiveTable.DAILY_SUMMARY, daySummaries.stream().map(ArchiveRows::summary).toList());
        List<ObjectNode> dayRollups = Rollups.of(day.toString(), daySummaries, aggregatedAt);
        archive.addAll(ArchiveTable.DAILY_ROLLUP, dayRollups.stream().map(ArchiveRows::rollup).toList());
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

    /**
     * The next day's sales of this day's sessions, for the experiments' net only: read, not archived or counted (they
     * are the next day's records). Sessions last at most a day (the nightly run times out the rest), so the next day
     * holds every later sale; one arriving after this run marks this day late (the sale function does that).
     */
    private void laterSales(LocalDate day, Map<String, DeviceDay> devices) {
        reader.read(sources.sales(), day.plusDays(1), item -> {
            DeviceDay d = devices.get(Dimensions.DEVICE_ID.get(item));
            if (d != null) {
                d.addLaterSale(SaleItem.SESSION_ID.get(item), SaleItem.CURRENCY.get(item), SaleItem.NET.get(item));
            }
        });
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

    private DeviceDay device(Map<String, DeviceDay> devices, Map<String, AttributeValue> item) {
        String id = Dimensions.DEVICE_ID.get(item);
        return devices.computeIfAbsent(id == null ? "unknown" : id, d -> new DeviceDay(d, zone));
    }

    private Map<String, DeviceDay.Dimensions> dimensions(List<String> deviceIds) {
        List<Map<String, AttributeValue>> keys = deviceIds.stream().map(DeviceItem.DEVICE_ID::key).toList();
        Map<String, DeviceDay.Dimensions> out = new HashMap<>();
        for (var it : BatchReader.read(dynamo, sources.devicesTable(), DeviceItem.DEVICE_ID.name(), keys)) {
            out.put(DeviceItem.DEVICE_ID.get(it),
                    DeviceDay.Dimensions.of(DeviceItem.STORE_ID.get(it), DeviceItem.GROUP_ID.get(it), DeviceItem.COUNTRY.get(it)));
        }
        return out;
    }

    private static Map<String, BigDecimal> amounts(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (Attribute<BigDecimal> a : SaleItem.AMOUNTS) {
            BigDecimal v = a.get(item);
            if (v != null) {
                out.put(a.name(), v);
            }
        }
        return out;
    }
}
