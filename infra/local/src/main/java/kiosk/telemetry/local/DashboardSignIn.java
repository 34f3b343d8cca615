package kiosk.telemetry.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.web.Route;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the dashboard's users sign in on the local stack. By default ({@code token}) the page's own
 * {@code config.json} (in the dashboard jar) says "paste a token". With {@code TELEMETRY_DASHBOARD_SIGN_IN=cognito}
 * the stack answers {@code /config.json} itself, pointing the page at an OAuth2 server with Cognito's endpoints
 * ({@code TELEMETRY_DASHBOARD_COGNITO_DOMAIN}, {@code TELEMETRY_DASHBOARD_CLIENT_ID}) and back to
 * {@code http://127.0.0.1:<port>/}, and {@link SecurityHeaders} lets the page call that server's token endpoint.
 * The API still takes the tokens of {@code TELEMETRY_AUTH_USERS_FILE}: a local test makes its ID tokens those.
 */
@Singleton
@Startup
public class DashboardSignIn {

    /** {@code telemetry.dashboard.*}: sign-in (token | cognito), cognito-domain, client-id. */
    @ConfigMapping(prefix = "telemetry.dashboard")
    public interface Settings {
        @WithName("sign-in")
        @WithDefault("token")
        Mode signIn();

        @WithName("cognito-domain")
        Optional<String> cognitoDomain();

        @WithName("client-id")
        Optional<String> clientId();
    }

    public enum Mode { token, cognito }

    private static final Pattern CLIENT_ID = Pattern.compile("[\\w-]{1,128}");

    /** The config.json this stack answers, or null: the jar's static one is served. */
    private final String configJson;
    /** The origin the page exchanges its authorization code with, or null. */
    private final String authOrigin;

    DashboardSignIn(Settings settings, @ConfigProperty(name = "quarkus.http.port") int port) {
        if (settings.signIn() == Mode.token) {
            configJson = null;
            authOrigin = null;
            return;
        }
        String domain = settings.cognitoDomain().map(String::trim).orElse("");
        String clientId = settings.clientId().map(String::trim).orElse("");
        authOrigin = origin(domain);
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("TELEMETRY_DASHBOARD_SIGN_IN=cognito needs TELEMETRY_DASHBOARD_CLIENT_ID, "
                    + "the app client's id (letters, digits, '_' or '-'); it is '" + clientId + "'");
        }
        Map<String, Object> cognito = new LinkedHashMap<>();
        cognito.put("domain", authOrigin);
        cognito.put("clientId", clientId);
        cognito.put("redirectUri", "http://127.0.0.1:" + port + "/");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("signIn", "cognito");
        config.put("apiBase", "");
        config.put("cognito", cognito);
        try {
            configJson = new ObjectMapper().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** scheme://host[:port] of an http(s) address without path, query or fragment; or why it is not one. */
    private static String origin(String domain) {
        URI uri;
        try {
            uri = URI.create(domain);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        boolean ok = uri != null && uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!ok) {
            throw new IllegalArgumentException("TELEMETRY_DASHBOARD_SIGN_IN=cognito needs TELEMETRY_DASHBOARD_COGNITO_DOMAIN, "
                    + "the user pool's domain such as https://example.auth.eu-west-1.amazoncognito.com; it is '" + domain + "'");
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The origin {@link SecurityHeaders} adds to {@code connect-src}, if the page signs in with Cognito. */
    Optional<String> authOrigin() {
        return Optional.ofNullable(authOrigin);
    }

    @Route(path = "/config.json", methods = Route.HttpMethod.GET)
    void config(RoutingContext rc) {
        if (configJson == null) {
            rc.next(); // the dashboard jar's own config.json
            return;
        }
        rc.response().putHeader("Content-Type", "application/json").end(configJson);
    }
}
