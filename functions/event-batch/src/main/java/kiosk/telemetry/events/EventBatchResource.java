package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.auth.JsonBody;
import kiosk.telemetry.core.auth.KioskRoute;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import java.util.Locale;

/** {@code /api/events}: kiosks post event batches, operators read events. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventBatchResource {

    private final EventBatchService service;
    private final Caller caller;
    private final TelemetryConfig config;

    public EventBatchResource(EventBatchService service, Caller caller, TelemetryConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("batch")
    @KioskRoute
    @JsonBody
    public BatchResult ingest(ObjectNode body) {
        return Answers.batch(service.ingest(caller.device(), body));
    }

    @GET
    @OperatorRoute
    public Page<EventView> list(@QueryParam("deviceId") String deviceId, @QueryParam("eventType") String eventType,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.list(ListQuery.on("events").filter("deviceId", deviceId).filter("eventType", eventType)
                .range(from, to).limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }

    @GET
    @Path("session/{sessionId}")
    @OperatorRoute
    public Page<EventView> ofSession(@PathParam("sessionId") String sessionId, @QueryParam("limit") String limit,
                                     @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.ofSession(sessionId, ListQuery.on("events/session/" + sessionId.toLowerCase(Locale.ROOT))
                .limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }
}
