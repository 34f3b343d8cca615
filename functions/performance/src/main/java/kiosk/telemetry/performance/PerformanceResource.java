package kiosk.telemetry.performance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.auth.JsonBody;
import kiosk.telemetry.core.auth.KioskRoute;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

import java.util.Set;

/** {@code /api/performance}: kiosks report timings, operators read them. */
@Path("/api/performance")
@Produces(MediaType.APPLICATION_JSON)
public class PerformanceResource {

    private final PerformanceService service;
    private final Caller caller;
    private final TelemetryConfig config;

    public PerformanceResource(PerformanceService service, Caller caller, TelemetryConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @KioskRoute
    @JsonBody
    public Response record(Bound<MetricRequest> body) {
        return Answers.recorded(service.record(caller.device(), body));
    }

    @POST
    @Path("batch")
    @KioskRoute
    @JsonBody
    public BatchResult recordBatch(ObjectNode body) {
        return Answers.batch(service.recordBatch(caller.device(), body));
    }

    @GET
    @OperatorRoute
    public Page<MetricView> list(@QueryParam("deviceId") String deviceId, @QueryParam("metricType") String metricType,
                                 @QueryParam("success") String success, @QueryParam("from") String from,
                                 @QueryParam("to") String to, @QueryParam("limit") String limit,
                                 @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.list(ListQuery.on("performance").filter("deviceId", deviceId)
                .oneOf("metricType", metricType, MetricType.NAMES).oneOf("success", success, Set.of("true", "false"))
                .range(from, to).limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }
}
