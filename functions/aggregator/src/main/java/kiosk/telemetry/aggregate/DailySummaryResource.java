package kiosk.telemetry.aggregate;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.auth.DirectInvokeOnly;
import kiosk.telemetry.core.auth.JsonBody;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.auth.StoreScope;
import kiosk.telemetry.core.auth.StoreScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code /api/daily-summary}: summaries, and the aggregation runs that make them. */
@Path("/api/daily-summary")
@Produces(MediaType.APPLICATION_JSON)
@OperatorRoute
public class DailySummaryResource {

    private final RunService runs;
    private final DailySummaryService summaries;
    private final TelemetryConfig config;
    private final StoreScope scope;

    public DailySummaryResource(RunService runs, DailySummaryService summaries, TelemetryConfig config, StoreScope scope) {
        this.scope = scope;
        this.runs = runs;
        this.summaries = summaries;
        this.config = config;
    }

    @POST
    @Path("aggregate")
    @JsonBody
    public Response aggregate(Bound<AggregateRequest> body) {
        return Response.accepted(runs.startManual(body)).build();
    }

    @POST
    @Path("runs/scheduled")
    @DirectInvokeOnly
    public Response scheduled() {
        return Response.accepted(runs.startScheduled()).build();
    }

    /** EventBridge Scheduler at 01:00 in the reporting zone: was the day that just ended aggregated? */
    @POST
    @Path("runs/nightly-check")
    @DirectInvokeOnly
    public RunService.NightlyCheck nightlyCheck() {
        return runs.checkNightly();
    }

    @POST
    @Path("runs/{runId}/execute")
    @DirectInvokeOnly
    public AggregationRun execute(@PathParam("runId") String runId) {
        return runs.execute(runId);
    }

    @GET
    @Path("runs/{runId}")
    public AggregationRun run(@PathParam("runId") String runId) {
        return runs.get(runId);
    }

    @GET
    @Path("runs")
    public Page<AggregationRun> listRuns(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var l = config.limits();
        var q = ListQuery.on("daily-summary/runs").limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build();
        var page = runs.list(q.limit(), q.cursor(), q.scope());
        return new Page<>(page.runs(), page.nextCursor());
    }

    /** Summaries of one device, or of the devices of a store, group or country; a limited user names one in reach. */
    @GET
    @StoreScoped
    public Page<JsonNode> list(@QueryParam("date") String date, @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("deviceId") String deviceId, @QueryParam("storeId") String storeId,
                               @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode,
                               @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        if (deviceId != null && !deviceId.isEmpty()) {
            scope.requireDevice(deviceId);
            if (!blank(storeId) || !blank(groupId)) {
                scope.require(storeId, groupId, null);
            }
        } else {
            scope.require(storeId, groupId, countryCode);
        }
        Page<JsonNode> page = summaries.list(date, from, to, deviceId, storeId, groupId, countryCode, limit, cursor);
        if (!scope.limited()) {
            return page;
        }
        // a device in reach now may have spent earlier days in a store out of reach: those days are left out
        return new Page<>(page.items().stream().filter(s -> scope.reaches(s.path("storeId").asText(null), s.path("groupId").asText(null)))
                .toList(), page.nextCursor());
    }

    @GET
    @Path("rollups/{date}")
    public JsonNode rollup(@PathParam("date") String date, @QueryParam("storeId") String storeId, @QueryParam("groupId") String groupId,
                           @QueryParam("countryCode") String countryCode) {
        return summaries.rollup(date, storeId, groupId, countryCode);
    }

    @GET
    @Path("{date}/{deviceId}")
    public JsonNode get(@PathParam("date") String date, @PathParam("deviceId") String deviceId) {
        return summaries.get(date, deviceId);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
