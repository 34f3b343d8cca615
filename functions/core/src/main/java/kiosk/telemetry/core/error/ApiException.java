package kiosk.telemetry.core.error;

import kiosk.telemetry.core.domain.FieldError;

import java.util.List;
import java.util.Map;

/**
 * An outcome the API reports as an RFC 9457 problem, raised at the edge (the request gate, binding, parameter
 * parsing) or made by {@link ProblemMapper} from a domain {@code Refusal}. Every status code the API returns for a
 * failure is decided by one of the factory methods here; resources never build error responses themselves, and
 * services and stores raise none of their own (they pass on what binding found, {@code Bound.orThrow}, and a batch
 * route's list checks). Exceptions carry keys and field names, never payloads.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public ApiException(int status, String title, String detail, List<FieldError> errors, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail, List.of(), Map.of());
    }

    public static ApiException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiException(400, "Bad Request", detail, errors, Map.of());
    }

    public static ApiException invalidField(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, List.of(), Map.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, List.of(), Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail, List.of(), Map.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, List.of(), Map.of());
    }

    public static ApiException payloadTooLarge(long limit) {
        return contentTooLarge("request body is larger than " + limit + " bytes");
    }

    public static ApiException contentTooLarge(String detail) {
        return new ApiException(413, "Content Too Large", detail, List.of(), Map.of());
    }

    public static ApiException unsupportedMediaType(String got) {
        return new ApiException(415, "Unsupported Media Type",
                "Content-Type must be application/json" + (got == null ? " (none given)" : ", got " + got), List.of(), Map.of());
    }

    /** A route that declares no access rule: refused, and a defect to fix (a test checks every route has one). */
    public static ApiException noAccessRule(String route) {
        return new ApiException(500, "Internal Server Error", "route " + route + " declares no access rule", List.of(), Map.of());
    }

    public static ApiException storeUnavailable(String detail) {
        return new ApiException(503, "Service Unavailable", detail, List.of(), Map.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Extra members of the problem body (for example a batch's {@code rejected} list). */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
