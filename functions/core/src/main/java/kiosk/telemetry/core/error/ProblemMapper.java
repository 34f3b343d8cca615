package kiosk.telemetry.core.error;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.domain.FieldError;
import kiosk.telemetry.core.domain.ForeignRecordException;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.log.RequestLog;
import kiosk.telemetry.core.page.InvalidCursorException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one place where failures become HTTP answers: {@link ApiException}s as they say, domain failures
 * ({@link Refusal}s by their reason, {@link ForeignRecordException} 403, {@link InvalidCursorException} 400), routing failures
 * (404/405/415) from the framework, temporary storage faults ({@link StorageFaults}) as 503, anything else,
 * a storage call the service refused included, as 500, logged with the request id. Every 503 carries
 * {@code Retry-After}.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String TYPE_BASE = "urn:kiosk-telemetry:problem:";

    private final String retryAfterSeconds;

    @Inject
    public ProblemMapper(TelemetryConfig config) {
        this(config.retryAfter());
    }

    public ProblemMapper(Duration retryAfter) {
        this.retryAfterSeconds = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri, ContainerRequestContext request) {
        if (e.status() >= 500) {
            LOG.warnf("request failed: requestId=%s status=%d path=%s detail=%s", RequestLog.requestId(request), e.status(),
                    path(uri), e.getMessage());
        }
        return render(e.status(), e.title(), e.getMessage(), uri, e.errors(), e.extensions());
    }

    @ServerExceptionMapper
    public Response refused(Refusal e, UriInfo uri, ContainerRequestContext request) {
        return api(answer(e), uri, request);
    }

    /** The answer to each reason the domain refuses for: its status is decided here, at the edge, and nowhere else. */
    public static ApiException answer(Refusal e) {
        return switch (e.reason()) {
            case INVALID -> ApiException.invalid(e.errors());
            case UNKNOWN -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case NOT_YOURS -> ApiException.forbidden(e.getMessage());
            case TOO_LARGE -> ApiException.contentTooLarge(e.getMessage());
            case BUSY -> ApiException.storeUnavailable(e.getMessage());
        };
    }

    @ServerExceptionMapper
    public Response foreign(ForeignRecordException e, UriInfo uri, ContainerRequestContext request) {
        return api(ApiException.forbidden(e.getMessage()), uri, request);
    }

    @ServerExceptionMapper
    public Response cursor(InvalidCursorException e, UriInfo uri, ContainerRequestContext request) {
        return api(ApiException.invalidField("cursor", e.getMessage()), uri, request);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return render(404, "Not Found", "no route " + uri.getPath(), uri, List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        Response r = render(405, "Method Not Allowed", "method not allowed on " + uri.getPath(), uri, List.of(), Map.of());
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null ? r : Response.fromResponse(r).header("Allow", allow).build();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return render(415, "Unsupported Media Type", "Content-Type must be application/json", uri, List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            return render(413, "Content Too Large", "request body is too large", uri, List.of(), Map.of());
        }
        if (status >= 500) {
            LOG.errorf(e, "request failed: requestId=%s path=%s", RequestLog.requestId(request), path(uri));
            return render(500, "Internal Server Error", "unexpected error", uri, List.of(), Map.of());
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return render(status, title, e.getMessage(), uri, List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response storage(SdkException e, UriInfo uri, ContainerRequestContext request) {
        if (StorageFaults.isTemporary(e)) {
            LOG.warnf("storage unavailable: requestId=%s path=%s: %s", RequestLog.requestId(request), path(uri), e.getMessage());
            return render(503, "Service Unavailable", "storage is unavailable; retry later", uri, List.of(), Map.of());
        }
        LOG.errorf(e, "storage refused a call: requestId=%s path=%s", RequestLog.requestId(request), path(uri));
        return render(500, "Internal Server Error", "unexpected error", uri, List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri, ContainerRequestContext request) {
        LOG.errorf(e, "unexpected failure: requestId=%s path=%s", RequestLog.requestId(request), path(uri));
        return render(500, "Internal Server Error", "unexpected error", uri, List.of(), Map.of());
    }

    Response render(int status, String title, String detail, UriInfo uri, List<FieldError> errors, Map<String, Object> ext) {
        String type = TYPE_BASE + slug(title);
        Problem body = new Problem(type, title, status, detail, path(uri),
                errors.isEmpty() ? null : errors, ext);
        Response.ResponseBuilder r = Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
        if (status == 503) {
            r.header("Retry-After", retryAfterSeconds);
        }
        return r.build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static String slug(String title) {
        return title.toLowerCase().replace(' ', '-');
    }
}
