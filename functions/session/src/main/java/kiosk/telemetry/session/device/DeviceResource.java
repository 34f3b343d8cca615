package kiosk.telemetry.session.device;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kiosk.telemetry.core.auth.JsonBody;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.auth.StoreScope;
import kiosk.telemetry.core.auth.StoreScoped;
import kiosk.telemetry.core.bind.Bound;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;

/** {@code /api/devices}: the operators' device registry. */
@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@OperatorRoute
public class DeviceResource {

    private final DeviceService service;
    private final TelemetryConfig config;
    private final StoreScope scope;

    public DeviceResource(DeviceService service, TelemetryConfig config, StoreScope scope) {
        this.scope = scope;
        this.service = service;
        this.config = config;
    }

    @POST
    @JsonBody
    public Response register(Bound<DeviceRequest> body) {
        return Response.status(201).entity(service.register(body)).build();
    }

    @POST
    @Path("{deviceId}/token")
    public DeviceService.Issued rotate(@PathParam("deviceId") String deviceId) {
        return service.rotate(deviceId);
    }

    @POST
    @Path("{deviceId}/restore")
    public DeviceService.Issued restore(@PathParam("deviceId") String deviceId) {
        return service.restore(deviceId);
    }

    @DELETE
    @Path("{deviceId}")
    public Response revoke(@PathParam("deviceId") String deviceId) {
        service.revoke(deviceId);
        return Response.noContent().build();
    }

    @GET
    @Path("{deviceId}")
    @StoreScoped
    public DeviceView get(@PathParam("deviceId") String deviceId) {
        scope.requireDevice(deviceId);
        return service.get(deviceId);
    }

    @GET
    @StoreScoped
    public Page<DeviceView> list(@QueryParam("storeId") String storeId, @QueryParam("groupId") String groupId,
                                 @QueryParam("silentFor") String silentFor, @QueryParam("limit") String limit,
                                 @QueryParam("cursor") String cursor) {
        scope.require(storeId, groupId, null);
        var l = config.limits();
        return service.list(ListQuery.on("devices").filter("storeId", storeId).filter("groupId", groupId)
                .filter("silentFor", silentFor).limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build(), silentFor);
    }
}
