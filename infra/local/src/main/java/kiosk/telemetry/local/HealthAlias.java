package kiosk.telemetry.local;

import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health}: the contract's short alias of {@code /q/health}. */
public class HealthAlias {

    @Route(path = "/health", methods = Route.HttpMethod.GET)
    void health(RoutingContext rc) {
        rc.reroute("/q/health");
    }
}
