package kiosk.telemetry.aggregate;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import kiosk.telemetry.core.auth.Access;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.auth.StoreScoped;

import java.util.List;

/** {@code GET /api/me}: who the staff caller is, with its role and reach, so the dashboard shows what it may use. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@OperatorRoute
public class MeResource {

    /** Empty {@code stores} and {@code groups}: the whole fleet is in reach. */
    public record Me(String principal, Access.Role role, List<String> stores, List<String> groups) {
    }

    private final Caller caller;

    public MeResource(Caller caller) {
        this.caller = caller;
    }

    @GET
    @StoreScoped
    public Me me() {
        Access a = caller.access();
        return new Me(a.principal(), a.role(), a.sortedStores(), a.sortedGroups());
    }
}
