package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.engines.ListWalker;
import kiosk.telemetry.engines.ListWalker.Filter;
import kiosk.telemetry.engines.ListWalker.Route;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The aggregator's list routes walked to their end at limits 1, 2, 7 and the largest, over summaries of four
 * devices on three days and nine runs, stored through the table classes, on engines of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true)
class ListWalkTest {

    private static final String ADMIN = "test-admin-token";
    /** Days no other test aggregates, so the summary walks see only this seed. */
    private static final List<LocalDate> DAYS = List.of(LocalDate.parse("2024-02-27"), LocalDate.parse("2024-02-28"),
            LocalDate.parse("2024-02-29"));

    @Inject
    DynamoDbClient dynamo;

    @Inject
    IndexPager pager;

    @Inject
    DailySummariesTable summaries;

    @Inject
    TelemetryConfig config;

    @Inject
    Clock clock;

    private ListWalker walker() {
        return new ListWalker((path, query) -> {
            Response r = given().header("Authorization", "Bearer " + ADMIN).queryParams(query).get(path);
            r.then().statusCode(200);
            return new ListWalker.Page(r.jsonPath().getList("items"), r.jsonPath().getString("nextCursor"));
        }, config.limits().maxPageSize());
    }

    @Test
    void dailySummaries_walkToTheEnd_newestDateFirst_thenByDevice_withEveryFilter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "walk-" + run + "-a";
        String b = "walk-" + run + "-b";
        String c = "walk-" + run + "-c";
        String d = "walk-" + run + "-d";
        String store1 = "store-" + run + "-1";
        String store2 = "store-" + run + "-2";
        String group1 = "group-" + run + "-1";
        String group2 = "group-" + run + "-2";
        List<String[]> devices = List.of(new String[]{a, store1, group1, "KR"}, new String[]{b, store1, group2, "KR"},
                new String[]{c, store2, group2, "JP"}, new String[]{d, store2, group2, "KR"});
        List<ObjectNode> stored = new ArrayList<>();
        List<Map<String, Object>> seed = new ArrayList<>();
        for (LocalDate day : DAYS) {
            for (String[] dev : devices) {
                ObjectNode s = JsonNodeFactory.instance.objectNode().put("date", day.toString()).put("deviceId", dev[0])
                        .put("storeId", dev[1]).put("groupId", dev[2]).put("countryCode", dev[3]);
                s.putObject("sessions").put("total", 0);
                stored.add(s);
                seed.add(Map.of("date", day.toString(), "deviceId", dev[0], "storeId", dev[1], "groupId", dev[2], "countryCode", dev[3]));
            }
        }
        summaries.putBatch(stored);

        Route route = new Route("/api/daily-summary", row -> row.get("date") + "/" + row.get("deviceId"),
                ListWalker.descending("date").thenComparing(ListWalker.ascending("deviceId")));
        Filter all = dates(DAYS.get(0), DAYS.get(2));
        walker().walkEach(route, seed, List.of(
                date(DAYS.get(0)),
                date(DAYS.get(1)),
                all,
                dates(DAYS.get(1), DAYS.get(2)),
                date(DAYS.get(0)).and(Filter.equal("deviceId", a)),
                all.and(Filter.equal("deviceId", a)),
                dates(DAYS.get(0), DAYS.get(1)).and(Filter.equal("deviceId", c)),
                all.and(Filter.equal("storeId", store1)),
                all.and(Filter.equal("groupId", group2)),
                all.and(Filter.equal("countryCode", "JP")),
                all.and(Filter.equal("deviceId", b)).and(Filter.equal("storeId", store1)),
                all.and(Filter.equal("deviceId", b)).and(Filter.equal("storeId", store2))));
    }

    @Test
    void runs_walkToTheEnd_newestFirst() {
        var runs = new AggregationRunsTable(dynamo, pager, config.tables().aggregationRuns());
        Instant base = clock.instant().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        List<Map<String, Object>> seed = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String runId = UUID.randomUUID().toString();
            String startedAt = Timestamps.format(base.plus(i * 7L, ChronoUnit.HOURS));
            runs.put(new AggregationRun(runId, "manual", "succeeded", startedAt, startedAt, List.of(), false));
            seed.add(Map.of("runId", runId, "startedAt", startedAt));
        }
        walker().walk(Route.of("/api/daily-summary/runs", "runId", ListWalker.descending("startedAt")), seed, Filter.none());
    }

    private static Filter date(LocalDate day) {
        return Filter.of(Map.of("date", day.toString()), row -> day.toString().equals(row.get("date")));
    }

    private static Filter dates(LocalDate from, LocalDate to) {
        return Filter.of(Map.of("from", from.toString(), "to", to.toString()), row -> {
            LocalDate day = LocalDate.parse(String.valueOf(row.get("date")));
            return !day.isBefore(from) && !day.isAfter(to);
        });
    }
}
