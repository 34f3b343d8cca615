package kiosk.telemetry.local;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every answer of the local stack, for the operator dashboard it serves at {@code /}: a
 * content security policy that lets the page run only its own files (no inline script or style, no other origin,
 * never inside a frame), no MIME sniffing, and no referrer sent anywhere. The API's JSON answers carry them too;
 * a browser ignores the policy there. The dashboard's files are asked for again on each load ({@code no-cache}):
 * their names carry no version.
 */
public class SecurityHeaders {

    static final String POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @RouteFilter(100)
    void headers(RoutingContext rc) {
        MultiMap h = rc.response().headers();
        h.set("Content-Security-Policy", POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        if (!rc.normalizedPath().startsWith("/api/")) {
            h.set("Cache-Control", "no-cache");
        }
        rc.next();
    }
}
