package kiosk.telemetry.session.sale;

import jakarta.ws.rs.GET;
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

/** {@code /api/sales}: kiosks record sales, operators read them. */
@Path("/api/sales")
@Produces(MediaType.APPLICATION_JSON)
public class SaleResource {

    private final SaleService service;
    private final Caller caller;
    private final TelemetryConfig config;

    public SaleResource(SaleService service, Caller caller, TelemetryConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @KioskRoute
    @JsonBody
    public Response create(Bound<SaleRequest> body) {
        return Answers.recorded(service.create(caller.device(), body));
    }

    @GET
    @Path("{saleId}")
    @OperatorRoute
    public SaleView get(@PathParam("saleId") String saleId) {
        return service.get(saleId);
    }

    @GET
    @OperatorRoute
    public Page<SaleView> list(@QueryParam("deviceId") String deviceId, @QueryParam("storeId") String storeId,
                               @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var l = config.limits();
        return service.list(ListQuery.on("sales").filter("deviceId", deviceId).filter("storeId", storeId)
                .range(from, to).limit(limit, l.defaultPageSize(), l.maxPageSize()).cursor(cursor).build());
    }
}
