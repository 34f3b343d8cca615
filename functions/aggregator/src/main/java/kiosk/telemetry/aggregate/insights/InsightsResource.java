package kiosk.telemetry.aggregate.insights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import kiosk.telemetry.aggregate.Rollups;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.auth.StoreScope;
import kiosk.telemetry.core.auth.StoreScoped;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;

/** {@code /api/insights}: figures of a scope over a range of reporting days, read from rollups. */
@Path("/api/insights")
@Produces(MediaType.APPLICATION_JSON)
@OperatorRoute
public class InsightsResource {

    private final InsightsService insights;
    private final Breakdown breakdown;
    private final Today today;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final StoreScope scope;

    public InsightsResource(InsightsService insights, Breakdown breakdown, Today today, ReportingCalendar calendar, Clock clock,
                            StoreScope scope) {
        this.scope = scope;
        this.insights = insights;
        this.today = today;
        this.breakdown = breakdown;
        this.calendar = calendar;
        this.clock = clock;
    }

    @GET
    @StoreScoped
    @Path("overview")
    public ObjectNode overview(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("storeId") String storeId,
                               @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        return insights.overview(query(from, to, storeId, groupId, countryCode));
    }

    @GET
    @StoreScoped
    @Path("hourly")
    public ObjectNode hourly(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("storeId") String storeId,
                             @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        return insights.hourly(query(from, to, storeId, groupId, countryCode));
    }

    @GET
    @StoreScoped
    @Path("experiments")
    public ObjectNode experiments(@QueryParam("name") String name, @QueryParam("from") String from, @QueryParam("to") String to,
                                  @QueryParam("storeId") String storeId, @QueryParam("groupId") String groupId,
                                  @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        return insights.experiments(query(from, to, storeId, groupId, countryCode), name == null || name.isEmpty() ? null : name);
    }

    @GET
    @StoreScoped
    @Path("timeseries")
    public ObjectNode timeseries(@QueryParam("metric") String metric, @QueryParam("interval") String interval,
                                 @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("storeId") String storeId,
                                 @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        return insights.timeseries(query(from, to, storeId, groupId, countryCode), metric, interval);
    }

    @GET
    @StoreScoped
    @Path("breakdown")
    public ObjectNode breakdown(@QueryParam("by") String by, @QueryParam("metric") String metric, @QueryParam("order") String order,
                                @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("storeId") String storeId,
                                @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        return breakdown.rank(query(from, to, storeId, groupId, countryCode), by, metric, order, limit, cursor);
    }

    @GET
    @StoreScoped
    @Path("today")
    public ObjectNode today(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("storeId") String storeId,
                            @QueryParam("groupId") String groupId, @QueryParam("countryCode") String countryCode) {
        scope.require(storeId, groupId, countryCode);
        if (from != null || to != null) {
            throw ApiException.invalidField(from != null ? "from" : "to", "today is the current reporting day: give no dates");
        }
        return today.of(Rollups.Scope.of(storeId, groupId, countryCode));
    }

    private InsightQuery query(String from, String to, String storeId, String groupId, String countryCode) {
        return InsightQuery.parse(from, to, storeId, groupId, countryCode, calendar.dayOf(clock.instant()));
    }
}
