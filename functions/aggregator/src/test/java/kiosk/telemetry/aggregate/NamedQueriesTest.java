package kiosk.telemetry.aggregate;

import kiosk.telemetry.engines.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Athena named queries: {@code infra/athena/*.sql} is what the template deploys, and each query, run on DuckDB
 * over the Parquet the aggregator wrote for a day with known answers, returns the expected rows.
 */
class NamedQueriesTest {

    private static final Path QUERIES = Path.of("../../infra/athena");
    private static final LocalDate DAY = KnownDay.TODAY.minusDays(3);

    private static KnownDay known;
    private static ArchiveSql sql;

    @BeforeAll
    static void archiveTheDay() throws Exception {
        known = new KnownDay(DAY);
        known.aggregation().aggregate(DAY, "run-1", KnownDay.kst(DAY.plusDays(1), 0, 5));
        sql = new ArchiveSql(known.downloadArchive());
    }

    @AfterAll
    static void stop() throws Exception {
        sql.close();
        known.close();
    }

    private static String query(String name) throws IOException {
        return Files.readString(QUERIES.resolve(name + ".sql"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTemplatesNamedQueries_areTheSqlFiles_verbatim() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(QUERIES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".sql")).toList()) {
                files.put(p.getFileName().toString().replace(".sql", ""), Files.readString(p).stripTrailing());
            }
        }
        Map<String, String> deployed = new TreeMap<>();
        SamTemplate.fromClasspath().resourcesOfType("AWS::Athena::NamedQuery").forEach((id, r) -> {
            Map<String, Object> p = SamTemplate.properties(r);
            assertEquals(Map.of("Ref", "AnalyticsDatabase"), p.get("Database"), id);
            assertEquals(Map.of("Ref", "AthenaWorkGroup"), p.get("WorkGroup"), id);
            deployed.put((String) p.get("Name"), ((String) p.get("QueryString")).stripTrailing());
        });
        assertEquals(files.keySet(), deployed.keySet(), "one named query per infra/athena/*.sql file");
        files.forEach((name, text) -> assertEquals(text, deployed.get(name),
                "template.yaml's " + name + " differs from infra/athena/" + name + ".sql; paste the file into its QueryString"));
        assertEquals(12, files.size());
    }

    @Test
    void dailyActiveKiosksPerStore() throws Exception {
        assertEquals(List.of(List.of(DAY.toString(), "store-12", "1"), List.of(DAY.toString(), "unknown", "1")),
                sql.rows(query("daily_active_kiosks_per_store")));
    }

    @Test
    void funnelConversionByStage() throws Exception {
        // kiosk-a reached attract 3, start 3, frame_select 2, then 1 each; kiosk-b's session has no funnel
        assertEquals(List.of(
                List.of("1", "attract", "3", "1.0", "null"),
                List.of("2", "start", "3", "1.0", "1.0"),
                List.of("3", "frame_select", "2", "0.6667", "0.6667"),
                List.of("4", "capture", "1", "0.3333", "0.5"),
                List.of("5", "edit", "1", "0.3333", "1.0"),
                List.of("6", "payment", "1", "0.3333", "1.0"),
                List.of("7", "print", "1", "0.3333", "1.0"),
                List.of("8", "complete", "1", "0.3333", "1.0")), sql.rows(query("funnel_conversion_by_stage")));
    }

    @Test
    void revenuePerPaymentMethodPerWeek() throws Exception {
        String week = DAY.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toString();
        assertEquals(List.of(
                List.of(week, "card", "KRW", "1", "10000.00", "1000.00", "8182.00"),
                List.of(week, "card", "USD", "1", "12.50", "0.50", "11.00"),
                List.of(week, "cash", "KRW", "1", "5000.00", "0.00", "4545.00")), sql.rows(query("revenue_per_payment_method_per_week")));
    }

    @Test
    void p95CaptureTimeByAppVersion() throws Exception {
        // 3.2.0: captures of 10..500 ms, nearest rank ceil(0.95 x 50) = 48 -> 480; no session: 510..1000 -> 980
        assertEquals(List.of(List.of("3.2.0", "50", "480"), List.of("unknown", "50", "980")),
                sql.rows(query("p95_capture_time_by_app_version")));
    }

    @Test
    void topErrorFingerprints() throws Exception {
        List<List<String>> rows = sql.rows(query("top_error_fingerprints"));
        assertEquals(2, rows.size());
        assertEquals(List.of("0123456789abcdef0001", "hardware", "C", "1", "1"), rows.get(0).subList(0, 5));
        assertEquals(List.of("0123456789abcdef0002", "network", "C", "1", "1"), rows.get(1).subList(0, 5));
    }
}
