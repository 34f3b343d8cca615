package kiosk.telemetry.local.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import kiosk.telemetry.local.StackTime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A stand-in for a Cognito user pool's hosted login, in the test's JVM on 127.0.0.1: the three endpoints the
 * dashboard uses, each checking what Cognito checks.
 * <ul>
 *   <li>{@code GET /oauth2/authorize}: client id, redirect URI, {@code response_type=code}, an S256 code challenge,
 *   the openid scope and a state; then "signs in" {@link #nextUser} (no login form) and redirects back with a code
 *   and the state (or with {@link #nextError}, or a changed state when {@link #tamperState}).</li>
 *   <li>{@code POST /oauth2/token} (form-encoded, CORS for the page's origin): the code once, the same client id
 *   and redirect URI, and base64url(SHA-256(code_verifier)) equal to the challenge; answers the user's ID token
 *   (a JWT-shaped string with the user's claims, not signed in any way that matters), an access token and a
 *   refresh token.</li>
 *   <li>{@code GET /logout}: client id and {@code logout_uri}; redirects there.</li>
 * </ul>
 * The ID tokens are made up front, so the local stack's users file can hold them as its users' tokens: that is how
 * the local API recognises them (in AWS, API Gateway's JWT authoriser checks the signature instead).
 */
final class FakeHostedLogin implements AutoCloseable {

    static final String CLIENT_ID = "dashboardlocalclient01";
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    record User(String name, String role, List<String> stores, List<String> groups, String idToken) {
    }

    /** One authorization code traded at the token endpoint, and whether every check passed. */
    record Exchange(String user, String verifier, String challenge, boolean valid, String origin) {
    }

    private record Issued(String user, String challenge, String redirectUri, String clientId) {
    }

    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Issued> codes = new ConcurrentHashMap<>();
    final List<Map<String, String>> authorizeRequests = Collections.synchronizedList(new ArrayList<>());
    final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, String>> logouts = Collections.synchronizedList(new ArrayList<>());

    /** Who signs in at the next authorize request. */
    volatile String nextUser;
    /** When set, the next authorize request comes back with this OAuth2 error instead of a code. */
    volatile String nextError;
    /** When set, authorize requests come back with a state other than the page's. */
    volatile boolean tamperState;
    /** The dashboard's address (http://127.0.0.1:port/): the only redirect and logout URI accepted. */
    private volatile String redirectUri;

    private FakeHostedLogin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth2/authorize", this::authorize);
        server.createContext("/oauth2/token", this::token);
        server.createContext("/logout", this::logout);
        server.start();
    }

    static FakeHostedLogin start() throws IOException {
        return new FakeHostedLogin();
    }

    /** The "domain" the dashboard is configured with: http://127.0.0.1:port. */
    String domain() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void expectRedirectUri(String uri) {
        this.redirectUri = uri;
    }

    /** A user of the pool, with an ID token valid for an hour from now. */
    User addUser(String name, String role, List<String> stores, List<String> groups) {
        long now = StackTime.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", randomText(16));
        claims.put("cognito:username", name);
        claims.put("email", name + "@example.com");
        claims.put("cognito:groups", List.of(role));
        claims.put("aud", CLIENT_ID);
        claims.put("iss", domain());
        claims.put("token_use", "id");
        claims.put("auth_time", now);
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        String token = jwt(claims);
        User u = new User(name, role, List.copyOf(stores), List.copyOf(groups), token);
        users.put(name, u);
        return u;
    }

    User user(String name) {
        return users.get(name);
    }

    /** A JWT-shaped token nobody knows (as one that the API stopped accepting). */
    String unknownToken() {
        long now = StackTime.now().getEpochSecond();
        return jwt(Map.of("sub", "nobody", "token_use", "id", "iat", now, "exp", now + 3600));
    }

    /** The local stack's TELEMETRY_AUTH_USERS_FILE: each user's ID token is their token there. */
    Path writeUsersFile() throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (User u : users.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", u.name());
            entry.put("role", u.role());
            entry.put("token", u.idToken());
            entry.put("stores", u.stores());
            entry.put("groups", u.groups());
            list.add(entry);
        }
        Path file = Files.createTempFile("dashboard-users", ".json");
        Files.writeString(file, StackProcess.JSON.writeValueAsString(list));
        return file;
    }

    static String challengeOf(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verifierShaped(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    private String jwt(Map<String, Object> claims) {
        try {
            String header = B64URL.encodeToString(StackProcess.JSON.writeValueAsBytes(Map.of("alg", "RS256", "kid", "fake-key", "typ", "JWT")));
            String payload = B64URL.encodeToString(StackProcess.JSON.writeValueAsBytes(claims));
            return header + "." + payload + "." + randomText(64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64URL.encodeToString(b);
    }

    // --- endpoints ------------------------------------------------------------------------------------------

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        authorizeRequests.add(q);
        String problem = !"GET".equals(ex.getRequestMethod()) ? "GET only"
                : !CLIENT_ID.equals(q.get("client_id")) ? "unknown client_id " + q.get("client_id")
                : redirectUri == null || !redirectUri.equals(q.get("redirect_uri")) ? "redirect_uri " + q.get("redirect_uri") + " is not registered"
                : !"code".equals(q.get("response_type")) ? "response_type must be code"
                : !"S256".equals(q.get("code_challenge_method")) ? "code_challenge_method must be S256"
                : q.get("code_challenge") == null || !CHALLENGE.matcher(q.get("code_challenge")).matches() ? "code_challenge is not a base64url SHA-256"
                : q.get("scope") == null || !List.of(q.get("scope").split(" ")).contains("openid") ? "scope must include openid"
                : q.get("state") == null || q.get("state").isEmpty() ? "state is missing"
                : nextUser == null || !users.containsKey(nextUser) ? "the test chose no user" : null;
        if (problem != null) {
            send(ex, 400, "text/plain", problem, null);
            return;
        }
        String state = tamperState ? q.get("state") + "-changed" : q.get("state");
        String back;
        if (nextError != null) {
            back = redirectUri + "?error=" + enc(nextError) + "&error_description=" + enc("The user did not allow it") + "&state=" + enc(state);
            nextError = null;
        } else {
            String code = randomText(24);
            codes.put(code, new Issued(nextUser, q.get("code_challenge"), q.get("redirect_uri"), q.get("client_id")));
            back = redirectUri + "?code=" + enc(code) + "&state=" + enc(state);
        }
        ex.getResponseHeaders().set("Location", back);
        send(ex, 302, "text/plain", "", null);
    }

    private void token(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String allowed = redirectUri == null ? null : URI.create(redirectUri).resolve("/").toString().replaceFirst("/$", "");
        String cors = origin != null && origin.equals(allowed) ? origin : null;
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Access-Control-Allow-Methods", "POST");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", "content-type");
            send(ex, 204, "text/plain", "", cors);
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "POST only", cors);
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Issued issued = f.get("code") == null ? null : codes.remove(f.get("code"));
        String verifier = f.get("code_verifier");
        boolean valid = type != null && type.startsWith("application/x-www-form-urlencoded")
                && "authorization_code".equals(f.get("grant_type"))
                && issued != null
                && CLIENT_ID.equals(f.get("client_id")) && issued.clientId().equals(f.get("client_id"))
                && issued.redirectUri().equals(f.get("redirect_uri"))
                && verifierShaped(verifier) && challengeOf(verifier).equals(issued.challenge());
        exchanges.add(new Exchange(issued == null ? null : issued.user(), verifier, issued == null ? null : issued.challenge(), valid, origin));
        if (!valid) {
            send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}", cors);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id_token", users.get(issued.user()).idToken());
        answer.put("access_token", randomText(32));
        answer.put("refresh_token", randomText(32));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 3600);
        send(ex, 200, "application/json", StackProcess.JSON.writeValueAsString(answer), cors);
    }

    private void logout(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        logouts.add(q);
        if (!CLIENT_ID.equals(q.get("client_id")) || redirectUri == null || !redirectUri.equals(q.get("logout_uri"))) {
            send(ex, 400, "text/plain", "client_id or logout_uri not registered: " + q, null);
            return;
        }
        ex.getResponseHeaders().set("Location", q.get("logout_uri"));
        send(ex, 302, "text/plain", "", null);
    }

    private static void send(HttpExchange ex, int status, String type, String body, String corsOrigin) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (corsOrigin != null) {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", corsOrigin);
            ex.getResponseHeaders().set("Vary", "Origin");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
