package kiosk.telemetry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.aggregate.DailyRollupsTable;
import kiosk.telemetry.aggregate.DailySummariesTable;
import kiosk.telemetry.aggregate.DeviceDay;
import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.aggregate.insights.Breakdown;
import kiosk.telemetry.aggregate.insights.InsightQuery;
import kiosk.telemetry.aggregate.insights.InsightsService;
import kiosk.telemetry.aggregate.insights.RegisteredDevices;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.store.DailyRollupItem;
import kiosk.telemetry.engines.TelemetryEngines;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The insights routes at 100× the fleet's days: {@code -Dbench.days} (90) days × {@code -Dbench.devices} (1,000)
 * devices in {@code -Dbench.stores} (500) stores, 20 groups and 5 countries are folded into device summaries and
 * rollups exactly as the nightly run does ({@link DeviceDay}, {@link Rollups#of}) and stored on DynamoDB Local. Then
 * each request is timed (median of {@code -Dbench.rounds} after 3 warm-ups) with the items it read, against the raw
 * Query of the same rollup items on the same engine in the same run. Goal: ≤ 2 × days items read and ≤ 2× the raw
 * Query's time; {@code breakdown?by=store} is reported with its read count.
 */
public final class InsightsBenchmark {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final String[] COUNTRIES = {"KR", "JP", "US", "TW", "SG"};

    private InsightsBenchmark() {
    }

    /** Items returned by every Query, GetItem and BatchGetItem of the client. */
    private static final class ItemsRead implements ExecutionInterceptor {
        final AtomicLong items = new AtomicLong();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse q) {
                items.addAndGet(q.count());
            } else if (context.response() instanceof GetItemResponse g && g.hasItem()) {
                items.incrementAndGet();
            } else if (context.response() instanceof BatchGetItemResponse b) {
                b.responses().values().forEach(list -> items.addAndGet(list.size()));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int days = Integer.getInteger("bench.days", 90);
        int devices = Integer.getInteger("bench.devices", 1000);
        int stores = Integer.getInteger("bench.stores", 500);
        int rounds = Integer.getInteger("bench.rounds", 10);
        ItemsRead read = new ItemsRead();
        try (TelemetryEngines engines = TelemetryEngines.start(null);
             DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(engines.dynamo().endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClient(ApacheHttpClient.builder().maxConnections(32).build())
                     .overrideConfiguration(c -> c.addExecutionInterceptor(read)).build()) {
            TelemetryConfig config = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
            DailyRollupsTable rollups = new DailyRollupsTable(dynamo, config.tables().dailyRollups());
            DevicesTable registry = new DevicesTable(dynamo, config.tables().devices());
            LocalDate to = LocalDate.now(SEOUL).minusDays(1);
            LocalDate from = to.minusDays(days - 1L);

            long t0 = System.nanoTime();
            long rollupItems = 0;
            long largest = 0;
            for (int i = 0; i < devices; i++) {
                registry.create(new Device(deviceId(i), storeId(i, stores), "grp-" + (i % 20), COUNTRIES[i % COUNTRIES.length], "h",
                        Instant.EPOCH, null, null));
            }
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                List<ObjectNode> summaries = new ArrayList<>(devices);
                for (int i = 0; i < devices; i++) {
                    summaries.add(deviceDay(d, i, stores));
                }
                List<ObjectNode> day = Rollups.of(d.toString(), summaries, "2026-01-01T00:00:00Z");
                for (ObjectNode r : day) {
                    largest = Math.max(largest, r.toString().length());
                }
                rollups.replaceDay(d, day);
                rollupItems += day.size();
            }
            System.out.printf("seeded %d days x %d devices (%d stores, 20 groups, %d countries): %,d rollups (largest %,d bytes of JSON) in %.0f s%n",
                    days, devices, stores, COUNTRIES.length, rollupItems, largest, (System.nanoTime() - t0) / 1e9);

            Clock clock = Clock.systemUTC();
            RegisteredDevices registered = new RegisteredDevices(registry, clock, Duration.ofMinutes(5));
            InsightsService insights = new InsightsService(rollups, registered);
            Breakdown breakdown = new Breakdown(rollups, new DailySummariesTable(dynamo, config.tables().dailySummaries(),
                    config.shards().summaries()), registry, Executors.newFixedThreadPool(16));
            InsightQuery fleet = InsightQuery.parse(from.toString(), to.toString(), null, null, null, to.plusDays(1));
            InsightQuery store = InsightQuery.parse(from.toString(), to.toString(), storeId(7, stores), null, null, to.plusDays(1));

            System.out.printf("%-44s %10s %12s %10s %12s %7s %s%n", "request (" + days + " days)", "items read", "median ms", "raw items",
                    "raw Query ms", "ratio", "goal");
            row("overview, fleet", rounds, read, () -> insights.overview(fleet), () -> raw(dynamo, config, Rollups.Scope.FLEET, from, to), days);
            row("overview, one store", rounds, read, () -> insights.overview(store), () -> raw(dynamo, config, store.scope(), from, to), days);
            row("timeseries sessions by day, fleet", rounds, read, () -> insights.timeseries(fleet, "sessions", "day"),
                    () -> raw(dynamo, config, Rollups.Scope.FLEET, from, to), days);
            row("timeseries p95.capture by week, one store", rounds, read, () -> insights.timeseries(store, "p95.capture", "week"),
                    () -> raw(dynamo, config, store.scope(), from, to), days);
            row("breakdown by=store conversionRate (" + stores + " stores)", Math.max(1, rounds / 5), read,
                    () -> breakdown.rank(fleet, "store", "conversionRate", null, "1000", null),
                    () -> rawStores(dynamo, config, from, to), -1);
            long before = read.items.get();
            new RegisteredDevices(registry, clock, Duration.ofMinutes(5)).in(Rollups.Scope.FLEET);
            System.out.printf("the overview's registered count (kept 5 minutes per scope, so outside the timed rounds): the fleet's reads "
                    + "%,d registry items%n", read.items.get() - before);
        }
        System.exit(0);
    }

    private static void row(String name, int rounds, ItemsRead read, Supplier<JsonNode> request, Supplier<Integer> raw, int days) {
        for (int i = 0; i < 3; i++) {
            request.get();
            raw.get();
        }
        long[] times = new long[rounds];
        long[] rawTimes = new long[rounds];
        long items = 0;
        long rawItems = 0;
        for (int i = 0; i < rounds; i++) {
            long r0 = read.items.get();
            long t0 = System.nanoTime();
            request.get();
            times[i] = System.nanoTime() - t0;
            items = read.items.get() - r0;
            long t1 = System.nanoTime();
            rawItems = raw.get();
            rawTimes[i] = System.nanoTime() - t1;
        }
        double ms = median(times) / 1e6;
        double rawMs = median(rawTimes) / 1e6;
        String goal = days < 0 ? "reported" : (items <= 2L * days && ms <= 2 * rawMs ? "PASS" : "MISS")
                + " (<= " + 2 * days + " items, <= 2x)";
        System.out.printf("%-44s %10d %12.1f %10d %12.1f %7.2f %s%n", name, items, ms, rawItems, rawMs, ms / rawMs, goal);
    }

    /** The raw Query of one scope's rollup items of the range, every item read whole and nothing else done. */
    private static int raw(DynamoDbClient dynamo, TelemetryConfig config, Rollups.Scope scope, LocalDate from, LocalDate to) {
        return dynamo.queryPaginator(b -> b.tableName(config.tables().dailyRollups())
                        .keyConditionExpression("#s = :s AND #d BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#s", DailyRollupItem.SCOPE.name(), "#d", DailyRollupItem.DATE.name()))
                        .expressionAttributeValues(Map.of(":s", DailyRollupItem.SCOPE.value(scope.key()), ":from", DailyRollupItem.DATE.value(from),
                                ":to", DailyRollupItem.DATE.value(to))))
                .items().stream().mapToInt(item -> 1).sum();
    }

    /** The raw Queries of every store's rollups of each day of the range. */
    private static int rawStores(DynamoDbClient dynamo, TelemetryConfig config, LocalDate from, LocalDate to) {
        int n = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            LocalDate day = d;
            n += dynamo.queryPaginator(b -> b.tableName(config.tables().dailyRollups()).indexName(DailyRollupItem.BY_DATE.name())
                            .keyConditionExpression("#d = :d AND begins_with(#s, :k)")
                            .expressionAttributeNames(Map.of("#s", DailyRollupItem.SCOPE.name(), "#d", DailyRollupItem.DATE.name()))
                            .expressionAttributeValues(Map.of(":d", DailyRollupItem.DATE.value(day), ":k",
                                    DailyRollupItem.SCOPE.value(new Rollups.Scope(Rollups.ScopeType.store, "").key()))))
                    .items().stream().mapToInt(item -> 1).sum();
        }
        return n;
    }

    /** One device's day: 10 sessions (6 completed), sales of 5, 2 timings a session, an error, in its store. */
    private static ObjectNode deviceDay(LocalDate d, int i, int stores) {
        DeviceDay day = new DeviceDay(deviceId(i), SEOUL);
        Instant open = d.atTime(9, 0).atZone(SEOUL).toInstant();
        ObjectNode variants = JsonNodeFactory.instance.objectNode().put("frameLayout", i % 2 == 0 ? "A" : "B");
        for (int s = 0; s < 10; s++) {
            Instant start = open.plusSeconds(3600L * s + 60L * (i % 50));
            String session = deviceId(i) + "-" + d + "-" + s;
            boolean done = (s + i + d.getDayOfMonth()) % 10 < 6;
            day.addSession(session, done ? "completed" : "abandoned", start, start.plusSeconds(180 + s), null, null, variants);
            day.addMetric("capture", 200 + (i * 7 + s * 13) % 900, true);
            day.addMetric("print", 4000 + (i * 11 + s * 17) % 3000, s % 9 != 0);
            if (done && s % 2 == 0) {
                day.addSale(session, start.plusSeconds(120), "KRW", "card", Map.of("gross", new BigDecimal("10000"), "discount",
                        BigDecimal.ZERO, "tax", new BigDecimal("909.09"), "net", new BigDecimal("9090.91")));
            }
        }
        day.addError(open.plusSeconds(1800), "warning", "network");
        return day.summary(d.toString(), DeviceDay.Dimensions.of(storeId(i, stores), "grp-" + (i % 20), COUNTRIES[i % COUNTRIES.length]),
                "2026-01-01T00:00:00Z");
    }

    private static String deviceId(int i) {
        return String.format("kiosk-%05d", i);
    }

    private static String storeId(int i, int stores) {
        return "store-" + (i % stores);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
