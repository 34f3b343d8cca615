package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.aggregate.insights.Breakdown;
import kiosk.telemetry.aggregate.insights.InsightsResource;
import kiosk.telemetry.core.auth.Access;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.auth.StoreScope;
import kiosk.telemetry.aggregate.insights.InsightsService;
import kiosk.telemetry.aggregate.insights.RegisteredDevices;
import kiosk.telemetry.aggregate.insights.Today;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.errors.ConflictRetry;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorReport;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import kiosk.telemetry.session.Session;
import kiosk.telemetry.session.SessionPatch;
import kiosk.telemetry.session.SessionsTable;
import kiosk.telemetry.session.sale.Sale;
import kiosk.telemetry.session.sale.SalesTable;
import kiosk.telemetry.testing.Registry;
import kiosk.telemetry.testing.TestTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Analysts get the API's numbers in Athena: ten reporting days of kiosks in five stores (sessions of every status with
 * funnels and experiments, KRW and USD sales with cents, errors) are written through the ingestion functions' tables
 * and aggregated day by day as the nightly run does. Each new named query of {@code infra/athena} then runs on DuckDB
 * over the archive that run wrote, with the range bound to its {@code ?} parameters, and its rows must equal the
 * insights routes' answers for the same range (the routes read the rollups in DynamoDB, not the archive): counts equal,
 * amounts exactly equal, ratios rounded the same way. The counts are also checked against what was written, tallied
 * while writing it.
 */
class NamedQueriesMatchInsightsTest {

    private static final Path QUERIES = Path.of("../../infra/athena");
    private static final TestClock CLOCK = TestTime.clock();
    private static final LocalDate TODAY = LocalDate.ofInstant(CLOCK.instant(), KnownDay.SEOUL);
    private static final LocalDate FIRST = TODAY.minusDays(12);
    private static final LocalDate LAST = TODAY.minusDays(3);
    private static final List<String> STAGES = Arrays.stream(FunnelStage.values()).map(Enum::name).toList();

    /** A device and the store the registry gives it (null: none, which the summaries call "unknown"). */
    private record Kiosk(String id, String store, int maxSessions, int maxErrors) {
        String storeKey() {
            return store == null ? "unknown" : store;
        }
    }

    private static final List<Kiosk> KIOSKS = List.of(
            new Kiosk("kiosk-1a", "store-1", 6, 2), new Kiosk("kiosk-1b", "store-1", 4, 2),
            new Kiosk("kiosk-2a", "store-2", 6, 1), new Kiosk("kiosk-2b", "store-2", 5, 1), new Kiosk("kiosk-2c", "store-2", 3, 3),
            new Kiosk("kiosk-3a", "store-3", 7, 2),
            new Kiosk("kiosk-4a", "store-4", 0, 3),   // reports errors only: no sessions, so no rate
            new Kiosk("kiosk-x", null, 4, 1));

    /** What was written, one fact per session, sale and error: the tally the figures must add up to. */
    private record Written(LocalDate day, String store, int hour, String status, Map<String, String> variants) {
    }

    private record WrittenSale(LocalDate day, String store, String currency, BigDecimal net) {
    }

    private record WrittenError(LocalDate day, String store) {
    }

    private static final List<Written> SESSIONS = new ArrayList<>();
    private static final List<WrittenSale> SALES = new ArrayList<>();
    private static final List<WrittenError> ERRORS = new ArrayList<>();

    private static KnownDay engines;
    private static ArchiveSql sql;
    private static InsightsResource api;

    @BeforeAll
    static void writeAggregateAndArchiveTenDays() throws Exception {
        engines = KnownDay.withoutRecords(LAST);
        write(engines);
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            engines.aggregation().aggregate(d, "run-" + d, CLOCK.instant());
        }
        sql = new ArchiveSql(engines.downloadArchive());
        DevicesTable devices = new DevicesTable(engines.dynamo, engines.config.tables().devices());
        DailyRollupsTable rollups = new DailyRollupsTable(engines.dynamo, engines.config.tables().dailyRollups());
        RegisteredDevices registered = new RegisteredDevices(devices, CLOCK, Duration.ofMinutes(5));
        api = new InsightsResource(new InsightsService(rollups, registered), new Breakdown(rollups, engines.summaries, devices, Runnable::run),
                new Today(new LiveTotalsTable(engines.dynamo, engines.config), registered, engines.calendar, CLOCK, Duration.ofSeconds(30)),
                engines.calendar, CLOCK, new StoreScope(Caller.staff(Access.fleetOperator("analyst")), null));
    }

    @AfterAll
    static void stop() throws Exception {
        sql.close();
        engines.close();
    }

    /** The whole seeded range; five days inside it; a range that starts before the first seeded day. */
    static Stream<LocalDate[]> ranges() {
        return Stream.of(new LocalDate[]{FIRST, LAST}, new LocalDate[]{FIRST.plusDays(2), FIRST.plusDays(6)},
                new LocalDate[]{FIRST.minusDays(4), FIRST.plusDays(1)});
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void storeRankingByConversion_isTheBreakdownByStoreOfConversionRate(LocalDate from, LocalDate to) throws Exception {
        List<List<String>> rows = run("store_ranking_by_conversion", from, to);
        JsonNode items = breakdown("conversionRate", from, to);
        Map<String, BigDecimal> completed = metric("completed", from, to);
        assertEquals(items.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            JsonNode item = items.get(i);
            String store = item.get("key").asText();
            assertEquals(List.of(String.valueOf(i + 1), store, item.get("sessions").asText()), r.subList(0, 3), "rank " + (i + 1));
            assertSameNumber(completed.get(store), r.get(3), store + " completed");
            assertSameNumber(item.get("value").decimalValue(), r.get(4), store + " conversion rate");
            assertEquals(written(from, to, store, null), Long.parseLong(r.get(2)), store + " sessions written");
            assertEquals(written(from, to, store, "completed"), Long.parseLong(r.get(3)), store + " completed written");
            assertSameNumber(rate(written(from, to, store, "completed"), written(from, to, store, null), 4), r.get(4), store + " rate written");
        }
        assertTrue(rows.stream().map(r -> r.get(4)).distinct().count() > 2, "the ranking ranks something: " + rows);
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void storeRankingByNet_isTheBreakdownByStoreOfNet_inKrwAndInUsd(LocalDate from, LocalDate to) throws Exception {
        for (String currency : List.of("KRW", "USD")) {
            List<List<String>> rows = run("store_ranking_by_net", from, to, currency);
            JsonNode items = breakdown("net." + currency, from, to);
            assertEquals(items.size(), rows.size(), currency);
            for (int i = 0; i < rows.size(); i++) {
                List<String> r = rows.get(i);
                JsonNode item = items.get(i);
                String store = item.get("key").asText();
                assertEquals(List.of(String.valueOf(i + 1), store), r.subList(0, 2), currency + " rank " + (i + 1));
                assertSameNumber(new BigDecimal(item.get("value").asText()), r.get(2), store + " net " + currency);
                assertEquals(item.get("sessions").asText(), r.get(3), store + " sessions");
                BigDecimal sold = SALES.stream().filter(s -> in(s.day(), from, to) && s.store().equals(store) && s.currency().equals(currency))
                        .map(WrittenSale::net).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertSameNumber(sold, r.get(2), store + " net " + currency + " written");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void hourlyPattern_isHourlysByHour(LocalDate from, LocalDate to) throws Exception {
        List<List<String>> rows = run("hourly_pattern", from, to);
        JsonNode byHour = api.hourly(from.toString(), to.toString(), null, null, null).get("byHour");
        assertEquals(24, rows.size());
        for (int h = 0; h < 24; h++) {
            List<String> r = rows.get(h);
            JsonNode a = byHour.get(h);
            assertEquals(List.of(String.valueOf(h), a.get("sessions").asText(), a.get("completed").asText()), r.subList(0, 3), "hour " + h);
            assertSameNumber(a.get("conversionRate").decimalValue(), r.get(3), "hour " + h + " conversion rate");
            assertEquals(a.get("errors").asText(), r.get(4), "hour " + h + " errors");
            int hour = h;
            assertEquals(SESSIONS.stream().filter(s -> in(s.day(), from, to) && s.hour() == hour).count(), Long.parseLong(r.get(1)), "hour " + h);
        }
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void weekdayHourPattern_isHourlysByWeekdayHour(LocalDate from, LocalDate to) throws Exception {
        List<List<String>> rows = run("weekday_hour_pattern", from, to);
        JsonNode grid = api.hourly(from.toString(), to.toString(), null, null, null).get("byWeekdayHour");
        assertEquals(7 * 24, rows.size());
        for (List<String> r : rows) {
            int weekday = Integer.parseInt(r.get(0));
            int hour = Integer.parseInt(r.get(1));
            assertEquals(grid.get(weekday - 1).get(hour).asText(), r.get(2), "weekday " + weekday + " hour " + hour);
            assertEquals(SESSIONS.stream().filter(s -> in(s.day(), from, to) && s.day().getDayOfWeek().getValue() == weekday && s.hour() == hour)
                    .count(), Long.parseLong(r.get(2)));
        }
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void experimentConversion_isExperimentsSampleSizesAndRates(LocalDate from, LocalDate to) throws Exception {
        Map<String, List<String>> fromSql = new TreeMap<>();
        for (List<String> r : run("experiment_conversion", from, to)) {
            fromSql.put(r.get(0) + "/" + r.get(1), List.of(r.get(2), r.get(3), plain(r.get(4))));
        }
        Map<String, List<String>> fromApi = new TreeMap<>();
        for (JsonNode e : api.experiments(null, from.toString(), to.toString(), null, null, null).get("experiments")) {
            for (JsonNode v : e.get("variants")) {
                fromApi.put(e.get("name").asText() + "/" + v.get("variant").asText(),
                        List.of(v.get("sessions").asText(), v.get("completed").asText(), plain(v.get("conversionRate").asText())));
            }
        }
        assertEquals(fromApi, fromSql);
        Map<String, List<String>> tally = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        for (Written s : SESSIONS) {
            if (in(s.day(), from, to)) {
                s.variants().forEach((name, variant) -> {
                    long[] c = counts.computeIfAbsent(name + "/" + variant, k -> new long[2]);
                    c[0]++;
                    c[1] += s.status().equals("completed") ? 1 : 0;
                });
            }
        }
        counts.forEach((k, c) -> tally.put(k, List.of(String.valueOf(c[0]), String.valueOf(c[1]), rate(c[1], c[0], 4).toPlainString())));
        assertEquals(tally, fromSql);
        assertTrue(fromSql.size() >= 5, "both experiments and their variants are there: " + fromSql.keySet());
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void errorsPer100SessionsByStore_isTheBreakdownByStoreOfErrorsPer100Sessions(LocalDate from, LocalDate to) throws Exception {
        List<List<String>> rows = run("errors_per_100_sessions_by_store", from, to);
        JsonNode items = breakdown("errorsPer100Sessions", from, to);
        Map<String, BigDecimal> errors = metric("errors", from, to);
        assertEquals(items.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            JsonNode item = items.get(i);
            String store = item.get("key").asText();
            assertEquals(List.of(String.valueOf(i + 1), store, item.get("sessions").asText()), r.subList(0, 3), "rank " + (i + 1));
            assertSameNumber(errors.get(store), r.get(3), store + " errors");
            if (item.get("value").isNull()) {
                assertEquals("null", r.get(4), store + " has no sessions");
            } else {
                assertSameNumber(item.get("value").decimalValue(), r.get(4), store + " errors per 100 sessions");
            }
            long written = ERRORS.stream().filter(e -> in(e.day(), from, to) && e.store().equals(store)).count();
            assertEquals(written, Long.parseLong(r.get(3)), store + " errors written");
        }
        assertTrue(rows.stream().anyMatch(r -> r.get(1).equals("store-4") && r.get(2).equals("0") && r.get(4).equals("null")),
                "store-4 has errors and no sessions: " + rows);
        List<String> values = rows.stream().map(r -> r.get(4)).toList();
        int firstNull = values.indexOf("null");
        assertTrue(values.subList(firstNull, values.size()).stream().allMatch("null"::equals), "stores without sessions rank last: " + values);
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void funnelDropOffByStage_isOverviewsFunnel(LocalDate from, LocalDate to) throws Exception {
        List<List<String>> rows = run("funnel_drop_off_by_stage", from, to);
        JsonNode funnel = api.overview(from.toString(), to.toString(), null, null, null).get("funnel");
        assertEquals(STAGES.size(), rows.size());
        for (int i = 0; i < STAGES.size(); i++) {
            String stage = STAGES.get(i);
            List<String> r = rows.get(i);
            assertEquals(List.of(String.valueOf(i + 1), stage, funnel.at("/reached/" + stage).asText()), r.subList(0, 3), stage);
            if (stage.equals("complete")) {
                assertEquals("null", r.get(3));
                assertTrue(!funnel.get("dropOff").has("complete"));
            } else {
                assertSameNumber(funnel.at("/dropOff/" + stage).decimalValue(), r.get(3), stage + " drop-off");
            }
        }
        long reachedAttract = SESSIONS.stream().filter(s -> in(s.day(), from, to)).count();
        assertEquals(reachedAttract, Long.parseLong(rows.get(0).get(2)), "every written session has a funnel from attract");
    }

    // ---- the comparison's parts

    private static List<List<String>> run(String query, LocalDate from, LocalDate to, String... more) throws Exception {
        List<String> parameters = new ArrayList<>(List.of(from.toString(), to.toString()));
        parameters.addAll(List.of(more));
        return sql.rows(text(query), parameters.toArray(String[]::new));
    }

    private static String text(String name) throws IOException {
        return Files.readString(QUERIES.resolve(name + ".sql"));
    }

    private static JsonNode breakdown(String metric, LocalDate from, LocalDate to) {
        ObjectNode page = api.breakdown("store", metric, null, String.valueOf(Breakdown.MAX_LIMIT), null, from.toString(), to.toString(),
                null, null, null);
        assertTrue(page.get("nextCursor").isNull());
        return page.get("items");
    }

    /** Each store's value of {@code metric} over the range, from the breakdown route. */
    private static Map<String, BigDecimal> metric(String metric, LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new TreeMap<>();
        breakdown(metric, from, to).forEach(i -> out.put(i.get("key").asText(), i.get("value").decimalValue()));
        return out;
    }

    /** The same number: equal values whatever their scale ("0.25" and "0.2500", "8182" and "8182.00"). */
    private static void assertSameNumber(BigDecimal expected, String actual, String what) {
        assertEquals(0, expected.compareTo(new BigDecimal(actual)), what + ": expected " + expected + ", the query gave " + actual);
    }

    private static String plain(String number) {
        return new BigDecimal(number).stripTrailingZeros().toPlainString();
    }

    private static boolean in(LocalDate day, LocalDate from, LocalDate to) {
        return !day.isBefore(from) && !day.isAfter(to);
    }

    /** Sessions of {@code store} written in the range (of one status, or all when {@code status} is null). */
    private static long written(LocalDate from, LocalDate to, String store, String status) {
        return SESSIONS.stream().filter(s -> in(s.day(), from, to) && s.store().equals(store) && (status == null || s.status().equals(status)))
                .count();
    }

    /** part / whole rounded half-up to {@code scale} decimals, 0 without a whole: worked out here, apart from both sides. */
    private static BigDecimal rate(long part, long whole, int scale) {
        return whole == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), scale, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    // ---- the seeded days

    private static final List<String> STATUSES = List.of("completed", "completed", "completed", "completed", "abandoned", "abandoned",
            "timeout", "error", "in_progress", "started");

    /** Writes the ten days from a fixed seed, through the tables the ingestion functions write with. */
    private static void write(KnownDay k) {
        IndexPager pager = new IndexPager(k.dynamo);
        Instant now = CLOCK.instant();
        DevicesTable devices = new DevicesTable(k.dynamo, k.config.tables().devices());
        for (Kiosk kiosk : KIOSKS) {
            Registry.register(devices, kiosk.id(), kiosk.store(), kiosk.store() == null ? null : "grp-" + kiosk.store(), "KR", now);
        }
        SessionsTable sessions = new SessionsTable(k.dynamo, pager, k.calendar, k.config);
        SalesTable sales = new SalesTable(k.dynamo, pager, k.calendar, k.config);
        ErrorStore errors = new ErrorStore(k.dynamo, new ErrorsTable(k.dynamo, pager, k.calendar, k.config),
                new ErrorGroupsTable(k.dynamo, pager, k.config), new ConflictRetry(k.config));
        Random rnd = new Random(18);
        for (LocalDate day = FIRST; !day.isAfter(LAST); day = day.plusDays(1)) {
            for (Kiosk kiosk : KIOSKS) {
                int n = kiosk.maxSessions() == 0 ? 0 : rnd.nextInt(kiosk.maxSessions() + 1);
                for (int i = 0; i < n; i++) {
                    session(sessions, sales, rnd, day, kiosk);
                }
                int e = kiosk.maxSessions() == 0 ? 1 + rnd.nextInt(kiosk.maxErrors()) : rnd.nextInt(kiosk.maxErrors() + 1);
                for (int i = 0; i < e; i++) {
                    Instant at = KnownDay.kst(day, rnd.nextInt(24), rnd.nextInt(60));
                    errors.record(new ErrorReport(UUID.randomUUID().toString(), null, kiosk.id(), null, null, null, at,
                            List.of("warning", "error", "fatal").get(rnd.nextInt(3)), List.of("hardware", "software", "network").get(rnd.nextInt(3)),
                            "E" + rnd.nextInt(4), "m", null, null, null, String.format("0123456789abcdef%04d", rnd.nextInt(4)), at));
                    ERRORS.add(new WrittenError(day, kiosk.storeKey()));
                }
            }
        }
    }

    /**
     * One session of the kiosk on the day, started before 23:00 so that its sales fall on the same day: a status, a
     * funnel (complete when completed, else stopped at a random stage), variants of {@code layout} (nine in ten sessions)
     * and, in store-2, of {@code price}; a completed session sells in KRW with cents, one in four also in USD.
     */
    private static void session(SessionsTable sessions, SalesTable sales, Random rnd, LocalDate day, Kiosk kiosk) {
        int hour = rnd.nextInt(23);
        Instant start = KnownDay.kst(day, hour, rnd.nextInt(60));
        String status = STATUSES.get(rnd.nextInt(STATUSES.size()));
        Map<String, String> variants = new TreeMap<>();
        if (rnd.nextInt(10) > 0) {
            variants.put("layout", rnd.nextBoolean() ? "A" : "B");
        }
        if ("store-2".equals(kiosk.store())) {
            variants.put("price", List.of("control", "low", "high").get(rnd.nextInt(3)));
        }
        ObjectNode experiments = KnownDay.F.objectNode();
        variants.forEach(experiments::put);
        String id = UUID.randomUUID().toString();
        sessions.create(new Session(id, kiosk.id(), null, null, null, start, "3.2.0", experiments, "started", 0, null, null, null, null,
                start, start));
        int reached = status.equals("completed") ? STAGES.size() : 1 + rnd.nextInt(STAGES.size() - 1);
        Instant end = start.plus(Duration.ofMinutes(3));
        boolean ended = !status.equals("started") && !status.equals("in_progress");
        sessions.applyPatch(id, new SessionPatch(1, status, ended ? SessionPatch.Change.to(end) : SessionPatch.Change.absent(),
                SessionPatch.Change.absent(), SessionPatch.Change.to(KnownDay.funnel(STAGES.subList(0, reached), null)),
                SessionPatch.Change.absent()), 0, start);
        SESSIONS.add(new Written(day, kiosk.storeKey(), hour, status, variants));
        if (status.equals("completed")) {
            BigDecimal gross = BigDecimal.valueOf(100_000 + rnd.nextInt(3_000_000), 2);
            sale(sales, kiosk, id, start.plus(Duration.ofMinutes(2)), "KRW", gross, rnd.nextBoolean() ? new BigDecimal("500.25") : BigDecimal.ZERO);
            if (rnd.nextInt(4) == 0) {
                sale(sales, kiosk, id, start.plus(Duration.ofMinutes(2)), "USD", BigDecimal.valueOf(500 + rnd.nextInt(2_000), 2), BigDecimal.ZERO);
            }
        }
    }

    private static void sale(SalesTable sales, Kiosk kiosk, String sessionId, Instant at, String currency, BigDecimal gross, BigDecimal discount) {
        BigDecimal tax = gross.subtract(discount).divide(BigDecimal.valueOf(11), 2, RoundingMode.HALF_UP);
        BigDecimal net = gross.subtract(discount).subtract(tax);
        sales.create(new Sale(UUID.randomUUID().toString(), sessionId, kiosk.id(), null, null, null, at, currency, "card",
                new Sale.Amounts(gross, discount, tax, net, null), null, engines.calendar.dimensionOf(at), at));
        SALES.add(new WrittenSale(engines.calendar.dayOf(at), kiosk.storeKey(), currency, net));
    }
}
