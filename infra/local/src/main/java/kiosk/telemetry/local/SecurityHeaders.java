package kiosk.telemetry.local;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Security headers on every answer of the local stack, for the operator dashboard it serves at {@code /}: a
 * content security policy that lets the page run only its own files (no inline script or style, no other origin,
 * never inside a frame), no MIME sniffing, and no referrer sent anywhere. The API's JSON answers carry them too;
 * a browser ignores the policy there. The dashboard's files are asked for again on each load ({@code no-cache}):
 * their names carry no version. When the page signs in with Cognito's hosted login ({@link DashboardSignIn}), it
 * may also call that server (its token endpoint): {@code connect-src} names its origin. Going to the hosted login
 * and back is a navigation, which the policy does not restrict.
 */
public class SecurityHeaders {

    private final String policy;

    SecurityHeaders(DashboardSignIn signIn) {
        this.policy = policy(signIn.authOrigin());
    }

    static String policy(Optional<String> authOrigin) {
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self'",
                "connect-src 'self'" + authOrigin.map(o -> " " + o).orElse(""),
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'");
    }

    @RouteFilter(100)
    void headers(RoutingContext rc) {
        MultiMap h = rc.response().headers();
        h.set("Content-Security-Policy", policy);
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
