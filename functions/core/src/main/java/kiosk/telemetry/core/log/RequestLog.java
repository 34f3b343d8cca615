package kiosk.telemetry.core.log;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import io.vertx.core.http.HttpServerRequest;
import kiosk.telemetry.core.auth.ApiGatewayRoute;
import kiosk.telemetry.core.auth.Caller;
import kiosk.telemetry.core.metrics.Emf;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.UUID;
import java.util.regex.Pattern;
import jakarta.ws.rs.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One structured log line per request (JSON in Lambda via quarkus-logging-json): request id, method, route
 * template, status, outcome, latency and who called: the device on kiosk routes, the operator principal (the IAM
 * caller's ARN in AWS) on operator routes, so every write says who made it. The request id is the caller's
 * {@code X-Request-Id} when it is a sane token, else a new UUID, and is echoed back in the response. Behind API
 * Gateway the line also carries API Gateway's own request id ({@code apiRequestId}), the {@code requestId} of the
 * HTTP API's access log, so the two logs join.
 */
public class RequestLog {

    private static final Logger LOG = Logger.getLogger("kiosk.telemetry.request");
    private static final Pattern SANE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    static final String HEADER = "X-Request-Id";
    private static final String START = RequestLog.class.getName() + ".start";
    private static final String ID = RequestLog.class.getName() + ".id";
    private static final String API_ID = RequestLog.class.getName() + ".apiId";

    /** Route template per resource method: computed once, not by reflection on every request. */
    private static final Map<String, String> ROUTES = new ConcurrentHashMap<>();

    private final Caller caller;
    private final Emf emf;

    public RequestLog(Caller caller, Emf emf) {
        this.caller = caller;
        this.emf = emf;
    }

    /** This request's id (as echoed in {@code X-Request-Id}), for log lines written before the request line. */
    public static String requestId(ContainerRequestContext request) {
        Object id = request == null ? null : request.getProperty(ID);
        return id == null ? null : id.toString();
    }

    @ServerRequestFilter(preMatching = true, priority = 1)
    public void begin(ContainerRequestContext request, HttpServerRequest http) {
        ApiGatewayRoute.requestId(http).ifPresent(id -> request.setProperty(API_ID, id));
        String given = request.getHeaderString(HEADER);
        request.setProperty(ID, given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString());
        request.setProperty(START, System.nanoTime());
    }

    @ServerResponseFilter
    public void end(ContainerRequestContext request, ContainerResponseContext response, SimpleResourceInfo resource) {
        Object id = request.getProperty(ID);
        Object start = request.getProperty(START);
        if (id == null || start == null) {
            return;
        }
        response.getHeaders().putSingle(HEADER, id);
        int status = response.getStatus();
        long latencyMs = (System.nanoTime() - (Long) start) / 1_000_000;
        String route = routeOf(resource);
        MDC.put("requestId", id);
        MDC.put("method", request.getMethod());
        MDC.put("route", route);
        MDC.put("status", Integer.toString(status));
        MDC.put("outcome", status >= 500 ? "server_error" : status >= 400 ? "client_error" : "ok");
        MDC.put("latencyMs", Long.toString(latencyMs));
        String device = deviceOf();
        if (device != null) {
            MDC.put("deviceId", device);
        }
        if (request.getProperty(API_ID) instanceof String apiId) {
            MDC.put("apiRequestId", apiId);
        }
        String operator = operatorOf();
        if (operator != null) {
            MDC.put("operator", operator);
        }
        try {
            if (status >= 500) {
                LOG.warnf("%s %s -> %d in %d ms", request.getMethod(), route, status, latencyMs);
            } else {
                LOG.infof("%s %s -> %d in %d ms", request.getMethod(), route, status, latencyMs);
            }
        } finally {
            for (String k : new String[]{"requestId", "apiRequestId", "method", "route", "status", "outcome", "latencyMs", "deviceId", "operator"}) {
                MDC.remove(k);
            }
        }
        emf.emit(Map.of("Route", request.getMethod() + " " + route),
                Emf.values(Emf.Metric.Requests, 1,
                        Emf.Metric.Latency, latencyMs,
                        Emf.Metric.ServerErrors, status >= 500 ? 1 : 0,
                        Emf.Metric.InternalErrors, status == 500 ? 1 : 0));
    }

    private String deviceOf() {
        try {
            return caller.isDevice() ? caller.device().deviceId() : null;
        } catch (RuntimeException notInARequestScope) {
            return null;
        }
    }

    private String operatorOf() {
        try {
            return caller.operator();
        } catch (RuntimeException notInARequestScope) {
            return null;
        }
    }

    /** The matched route template ({@code /api/sessions/{sessionId}}), never the raw path with ids in it. */
    private static String routeOf(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return "unmatched";
        }
        String key = resource.getResourceClass().getName() + "#" + resource.getMethodName() + "/" + resource.parameterTypes().length;
        return ROUTES.computeIfAbsent(key, k -> template(resource));
    }

    private static String template(SimpleResourceInfo resource) {
        Path base = resource.getResourceClass().getAnnotation(Path.class);
        String path = base == null ? "" : base.value();
        try {
            var m = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            Path sub = m.getAnnotation(Path.class);
            if (sub != null) {
                path = path + "/" + sub.value();
            }
        } catch (NoSuchMethodException e) {
            // keep the class path
        }
        return path.replaceAll("/+", "/");
    }
}
