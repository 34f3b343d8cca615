package kiosk.telemetry.engines.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An HTTP API (payload format 2.0) event as API Gateway hands it to a function: the route key of the route that
 * matched ({@code "POST /api/sessions"}, or {@code "$default"}), the raw path and query, lower-case headers, the
 * body, and the request context, with the IAM authoriser's caller when the route is IAM-authorised.
 */
public final class ApiGatewayEvent {

    /** The route key of API Gateway's catch-all route. */
    public static final String CATCH_ALL = "$default";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The caller API Gateway's IAM authoriser reports for a signed request (example values, no real account). */
    public record IamCaller(String accessKey, String accountId, String callerId, String userArn, String userId) {
        public static IamCaller operator() {
            return new IamCaller("ASIAEXAMPLEOPERATOR", "000000000000", "AIDAEXAMPLEOPERATOR",
                    "arn:aws:iam::000000000000:user/operator", "AIDAEXAMPLEOPERATOR");
        }
    }

    /**
     * A person signed in to the dashboard, as the JWT authoriser hands the ID token's claims on: every claim a
     * string, an array claim ({@code cognito:groups}) as {@code "[a b]"}, the store and group attributes as the
     * comma-separated strings the user pool keeps. {@code tokenUse} is {@code "id"} for an ID token.
     */
    public record SignedIn(String email, List<String> poolGroups, String stores, String groups, String tokenUse) {
        public static SignedIn operator() {
            return new SignedIn("ops@example.com", List.of("operator"), null, null, "id");
        }

        public static SignedIn viewer() {
            return new SignedIn("viewer@example.com", List.of("viewer"), null, null, "id");
        }

        public static SignedIn viewerOf(String stores, String groups) {
            return new SignedIn("store-viewer@example.com", List.of("viewer"), stores, groups, "id");
        }

        public SignedIn withTokenUse(String use) {
            return new SignedIn(email, poolGroups, stores, groups, use);
        }

        Map<String, String> claims() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("sub", "5f1c7e2a-0000-4000-8000-" + String.format("%012x", Math.abs((long) email.hashCode())));
            c.put("iss", "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_EXAMPLE");
            c.put("aud", "exampleclientid0000000000");
            c.put("token_use", tokenUse);
            c.put("email", email);
            c.put("email_verified", "true");
            c.put("cognito:username", email);
            if (!poolGroups.isEmpty()) {
                c.put("cognito:groups", "[" + String.join(" ", poolGroups) + "]");
            }
            if (stores != null) {
                c.put("custom:stores", stores);
            }
            if (groups != null) {
                c.put("custom:groups", groups);
            }
            c.put("auth_time", "1795737000");
            c.put("iat", "1795737000");
            c.put("exp", "1795740600");
            return c;
        }
    }

    private final String routeKey;
    private final String method;
    private final String path;
    private String query = "";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private IamCaller iam;
    private SignedIn user;
    private String requestId = UUID.randomUUID().toString();

    private ApiGatewayEvent(String routeKey, String method, String path) {
        this.routeKey = routeKey;
        this.method = method;
        this.path = path;
    }

    /** A request that matched the declared route {@code method routePath}, sent to {@code path}. */
    public static ApiGatewayEvent matched(String method, String routePath, String path) {
        return new ApiGatewayEvent(method + " " + routePath, method, path);
    }

    /** A request that matched no declared route and went to the {@code $default} route. */
    public static ApiGatewayEvent catchAll(String method, String path) {
        return new ApiGatewayEvent(CATCH_ALL, method, path);
    }

    public ApiGatewayEvent query(String rawQueryString) {
        this.query = rawQueryString;
        return this;
    }

    public ApiGatewayEvent header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    public ApiGatewayEvent bearer(String token) {
        return header("authorization", "Bearer " + token);
    }

    public ApiGatewayEvent json(String json) {
        this.body = json;
        return header("content-type", "application/json");
    }

    /** API Gateway's id of the request ({@code requestContext.requestId}); random unless given. */
    public ApiGatewayEvent requestId(String id) {
        this.requestId = id;
        return this;
    }

    public ApiGatewayEvent iam(IamCaller caller) {
        this.iam = caller;
        return this;
    }

    /** The route's JWT authoriser accepted this user's token: the claims in the context, the token in the header. */
    public ApiGatewayEvent jwt(SignedIn signedIn) {
        this.user = signedIn;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload;
        try {
            payload = MAPPER.writeValueAsString(signedIn.claims());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return bearer(b64.encodeToString("{\"kid\":\"example\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl");
    }

    public String method() {
        return method;
    }

    /** The request line, for messages. */
    public String describe() {
        return routeKey + ": " + method + " " + path + (query.isEmpty() ? "" : "?" + query) + (headers.containsKey("authorization") ? " (bearer)" : "");
    }

    public String toJson() {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0").put("routeKey", routeKey).put("rawPath", path).put("rawQueryString", query);
        ObjectNode h = event.putObject("headers");
        h.put("host", "example.execute-api.ap-northeast-2.amazonaws.com");
        h.put("user-agent", "kiosk-telemetry-test");
        headers.forEach(h::put);
        if (!query.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", "000000000000").put("apiId", "example").put("domainName", "example.execute-api.ap-northeast-2.amazonaws.com")
                .put("requestId", requestId).put("routeKey", routeKey).put("stage", "$default")
                .put("time", "02/Dec/2026:00:00:00 +0000").put("timeEpoch", 1795737600000L);
        ctx.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "203.0.113.7").put("userAgent", "kiosk-telemetry-test");
        if (iam != null) {
            ctx.putObject("authorizer").putObject("iam").put("accessKey", iam.accessKey()).put("accountId", iam.accountId())
                    .put("callerId", iam.callerId()).put("userArn", iam.userArn()).put("userId", iam.userId());
        }
        if (user != null) {
            ObjectNode jwt = ctx.putObject("authorizer").putObject("jwt");
            ObjectNode claims = jwt.putObject("claims");
            user.claims().forEach(claims::put);
            jwt.putNull("scopes");
        }
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event.toString();
    }
}
