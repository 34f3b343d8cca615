package kiosk.telemetry.errors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.auth.JsonBody;
import kiosk.telemetry.core.auth.KioskRoute;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

import java.util.Set;

/** {@code /api/errors}: kiosks report errors; operators read, group and resolve them. */
@Path("/api/errors")
@Produces(MediaType.APPLICATION_JSON)
public class ErrorResource {

    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private final ErrorService service;
    private final Caller caller;
    private final TelemetryConfig config;

    public ErrorResource(ErrorService service, Caller caller, TelemetryConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @KioskRoute
    @JsonBody
    public Response report(Bound<ErrorRequest> body) {
        return Answers.recorded(service.report(caller.device(), body));
    }

    @GET
    @OperatorRoute
    public Page<ErrorView> list(@QueryParam("deviceId") String deviceId, @QueryParam("severity") String severity,
                                @QueryParam("category") String category, @QueryParam("resolved") String resolved,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.list(ListQuery.on("errors").filter("deviceId", deviceId)
                .oneOf("severity", severity, Severity.NAMES).oneOf("category", category, Category.NAMES)
                .oneOf("resolved", resolved, BOOLEANS).range(from, to)
                .limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }

    @GET
    @Path("groups")
    @OperatorRoute
    public Page<ErrorGroupView> groups(@QueryParam("category") String category, @QueryParam("resolved") String resolved,
                                       @QueryParam("from") String from, @QueryParam("to") String to,
                                       @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.listGroups(ListQuery.on("errors/groups").oneOf("category", category, Category.NAMES)
                .oneOf("resolved", resolved, BOOLEANS).range(from, to)
                .limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }

    @PATCH
    @Path("groups/{fingerprint}/resolve")
    @OperatorRoute
    @JsonBody
    public ErrorGroupView resolveGroup(@PathParam("fingerprint") String fingerprint, Bound<ResolveRequest> body) {
        return service.resolveGroup(fingerprint, body);
    }

    @GET
    @Path("{errorId}")
    @OperatorRoute
    public ErrorView get(@PathParam("errorId") String errorId) {
        return service.get(errorId);
    }

    @PATCH
    @Path("{errorId}/resolve")
    @OperatorRoute
    @JsonBody
    public ErrorView resolve(@PathParam("errorId") String errorId, Bound<ResolveRequest> body) {
        return service.resolve(errorId, body);
    }
}
