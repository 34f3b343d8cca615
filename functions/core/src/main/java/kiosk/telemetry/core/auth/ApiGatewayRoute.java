package kiosk.telemetry.core.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.Optional;

/**
 * The API Gateway route that delivered a request, read from the event the Lambda HTTP adapter keeps beside the
 * request. Empty on plain HTTP (local stack) and for events without a route key.
 */
public final class ApiGatewayRoute {

    /** API Gateway's catch-all route: a request that matched no declared route. */
    static final String CATCH_ALL = "$default";

    private ApiGatewayRoute() {
    }

    static Optional<String> routeKey(HttpServerRequest request) {
        return event(request).map(APIGatewayV2HTTPEvent::getRouteKey);
    }

    /** API Gateway's id of the request (its access log's {@code requestId}), when API Gateway delivered it. */
    public static Optional<String> requestId(HttpServerRequest request) {
        return event(request).map(APIGatewayV2HTTPEvent::getRequestContext).map(APIGatewayV2HTTPEvent.RequestContext::getRequestId);
    }

    /** The ARN of the IAM caller API Gateway's authoriser accepted, when there is one. */
    static Optional<String> iamCallerArn(HttpServerRequest request) {
        return event(request).map(APIGatewayV2HTTPEvent::getRequestContext).map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getIam).map(APIGatewayV2HTTPEvent.RequestContext.IAM::getUserArn);
    }

    /** The claims of the JWT that API Gateway's JWT authoriser verified, when the route has one. */
    static Optional<Map<String, String>> jwtClaims(HttpServerRequest request) {
        return event(request).map(APIGatewayV2HTTPEvent::getRequestContext).map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getJwt).map(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT::getClaims);
    }

    private static Optional<APIGatewayV2HTTPEvent> event(HttpServerRequest request) {
        if (request == null || !(request.headers() instanceof QuarkusHttpHeaders headers)) {
            return Optional.empty();
        }
        Map<Class<?>, Object> context = headers.getContextObjects();
        if (context != null && context.get(APIGatewayV2HTTPEvent.class) instanceof APIGatewayV2HTTPEvent event) {
            return Optional.of(event);
        }
        return Optional.empty();
    }
}
