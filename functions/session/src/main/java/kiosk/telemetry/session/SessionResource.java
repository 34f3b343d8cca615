package kiosk.telemetry.session;

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
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

/** {@code /api/sessions}: kiosks open and update sessions, operators read them. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService service;
    private final Caller caller;
    private final TelemetryConfig config;

    public SessionResource(SessionService service, Caller caller, TelemetryConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @KioskRoute
    @JsonBody
    public Response create(Bound<NewSessionRequest> body) {
        return Answers.recorded(service.create(caller.device(), body));
    }

    @PATCH
    @Path("{sessionId}")
    @KioskRoute
    @JsonBody
    public SessionService.Applied update(@PathParam("sessionId") String sessionId, Bound<SessionPatchRequest> body) {
        return service.update(caller.device(), sessionId, body);
    }

    @GET
    @Path("{sessionId}")
    @OperatorRoute
    public SessionView get(@PathParam("sessionId") String sessionId) {
        return service.get(sessionId);
    }

    @GET
    @OperatorRoute
    public Page<SessionView> list(@QueryParam("deviceId") String deviceId, @QueryParam("storeId") String storeId,
                                  @QueryParam("groupId") String groupId, @QueryParam("status") String status,
                                  @QueryParam("countryCode") String countryCode, @QueryParam("from") String from,
                                  @QueryParam("to") String to, @QueryParam("limit") String limit,
                                  @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.list(ListQuery.on("sessions")
                .filter("deviceId", deviceId).filter("storeId", storeId).filter("groupId", groupId)
                .oneOf("status", status, SessionStatus.NAMES).filter("countryCode", countryCode)
                .range(from, to).limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor)
                .build());
    }
}
