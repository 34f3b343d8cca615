package kiosk.telemetry.core.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.ApiException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * The checks every matched route passes before its resource runs, in the contract's order: body size (413),
 * media type (415), authentication (401), authorisation (403). Routing (404) and method (405) were decided by
 * matching already, but for one case: a request API Gateway delivered through its catch-all {@code $default}
 * route matched none of the declared routes there, so it is answered 404 before matching, whatever JAX-RS would
 * match (a trailing slash, another spelling, OPTIONS). Body validation (400) and state (404/409) come after, in
 * the services.
 * <p>
 * Every route must say who may call it ({@link KioskRoute}, {@link OperatorRoute} or {@link DirectInvokeOnly});
 * a route that says nothing is refused, never run unchecked. Staff routes ({@link OperatorRoute}) are open to
 * operators; viewers may call their GET routes, and a caller limited to some stores or groups only the
 * {@link StoreScoped} ones.
 */
public class RequestGate {

    private final TelemetryConfig config;
    private final DeviceDirectory directory;
    private final OperatorAuth operators;
    private final Caller caller;

    public RequestGate(TelemetryConfig config, DeviceDirectory directory, OperatorAuth operators, Caller caller) {
        this.config = config;
        this.directory = directory;
        this.operators = operators;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || type == null) {
            return;
        }
        checkSize(request);
        if (method.isAnnotationPresent(JsonBody.class)) {
            checkMediaType(request);
        }
        boolean kiosk = method.isAnnotationPresent(KioskRoute.class)
                || (!method.isAnnotationPresent(OperatorRoute.class) && type.isAnnotationPresent(KioskRoute.class));
        boolean staff = method.isAnnotationPresent(OperatorRoute.class) || method.isAnnotationPresent(DirectInvokeOnly.class)
                || (!method.isAnnotationPresent(KioskRoute.class) && type.isAnnotationPresent(OperatorRoute.class));
        if (kiosk) {
            authenticateKiosk(bearer(request));
        } else if (staff) {
            Access access = authenticateStaff(bearer(request), request.getSecurityContext(), http);
            authorise(access, request.getMethod(), method);
            caller.asStaff(access);
        } else {
            throw ApiException.noAccessRule(type.getSimpleName() + "." + method.getName());
        }
    }

    /** Before any matching (so not even an automatic OPTIONS or HEAD answer): nothing is served through {@code $default}. */
    @ServerRequestFilter(preMatching = true)
    public void refuseCatchAll(ContainerRequestContext request, HttpServerRequest http) {
        if (ApiGatewayRoute.routeKey(http).filter(ApiGatewayRoute.CATCH_ALL::equals).isPresent()) {
            throw ApiException.notFound("no route " + request.getMethod() + " " + request.getUriInfo().getPath());
        }
    }

    @ServerResponseFilter
    public void seen(ContainerResponseContext response) {
        if (caller.isDevice() && response.getStatus() < 400) {
            directory.seen(caller.device().deviceId());
        }
    }

    private void checkSize(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > config.limits().maxBodyBytes()) {
                    throw ApiException.payloadTooLarge(config.limits().maxBodyBytes());
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number");
            }
        }
    }

    private static void checkMediaType(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || type.isWildcardType() || type.isWildcardSubtype()) {
            throw ApiException.unsupportedMediaType(type == null ? null : type.toString());
        }
    }

    private void authenticateKiosk(Optional<String> token) {
        if (token.isEmpty()) {
            throw ApiException.unauthorized("a device token is required: Authorization: Bearer <device token>");
        }
        if (operators.isAdminToken(token.get())) {
            throw ApiException.forbidden("the operator token cannot call kiosk routes");
        }
        Device device = directory.authenticate(token.get())
                .orElseThrow(() -> ApiException.unauthorized("the device token is unknown or revoked"));
        caller.asDevice(device);
    }

    /**
     * Who calls a staff route. In AWS: a dashboard user whose ID token API Gateway's JWT authoriser verified, or an
     * IAM caller API Gateway's IAM authoriser signed off (automation: an operator with the whole fleet in reach).
     * Locally: the admin token, or a user's token from the users file.
     */
    private Access authenticateStaff(Optional<String> token, SecurityContext security, HttpServerRequest http) {
        if (operators.mode() == TelemetryConfig.OperatorMode.iam) {
            Optional<Map<String, String>> claims = ApiGatewayRoute.jwtClaims(http);
            if (claims.isPresent()) {
                return SignedInUser.access(claims.get(), config.auth());
            }
            if (security == null || security.getUserPrincipal() == null) {
                throw ApiException.unauthorized("operator routes need IAM (SigV4) authorisation, or a dashboard sign-in");
            }
            return Access.fleetOperator(ApiGatewayRoute.iamCallerArn(http).orElse(security.getUserPrincipal().getName()));
        }
        if (token.isEmpty()) {
            throw ApiException.unauthorized("an operator token is required: Authorization: Bearer <admin token>");
        }
        Optional<Access> access = operators.byToken(token.get());
        if (access.isPresent()) {
            return access.get();
        }
        if (directory.looksLikeDeviceToken(token.get())) {
            throw ApiException.forbidden("device tokens cannot call operator routes");
        }
        throw ApiException.unauthorized("the operator token is wrong");
    }

    /**
     * A viewer reads (GET routes) and changes nothing; a caller limited to some stores or groups reaches only the
     * routes that check that limit themselves ({@link StoreScoped}).
     */
    private static void authorise(Access access, String httpMethod, Method route) {
        if (!access.mayChangeState() && !HttpMethod.GET.equals(httpMethod) && !HttpMethod.HEAD.equals(httpMethod)) {
            throw ApiException.forbidden(access.principal() + " is a viewer: this route needs the operator role");
        }
        if (access.limited() && !route.isAnnotationPresent(StoreScoped.class)) {
            throw ApiException.forbidden("this route is not available to a user limited to " + access.describeLimit());
        }
    }

    private static Optional<String> bearer(ContainerRequestContext request) {
        String h = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
