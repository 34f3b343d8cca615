package kiosk.telemetry.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Staff authentication. In {@code iam} mode (AWS) API Gateway has already checked the caller (SigV4 with IAM, or a
 * dashboard user's JWT) and the Lambda HTTP adapter hands its context on; in {@code token} mode (local stack, tests)
 * the caller shows a bearer token: the admin token (an operator with the whole fleet in reach), or the token of a
 * user from the users file ({@code telemetry.auth.users-file}) with that user's role and reach. With no admin token
 * configured, one is made at start and printed once.
 */
@Singleton
public class OperatorAuth {

    private static final Logger LOG = Logger.getLogger(OperatorAuth.class);
    /** The shortest token the users file accepts. */
    static final int MIN_USER_TOKEN = 16;

    private final TelemetryConfig.OperatorMode mode;
    private final String adminToken;
    private final List<LocalUser> users;

    public OperatorAuth(TelemetryConfig config) {
        this.mode = config.auth().operatorMode();
        String configured = config.auth().adminToken().filter(t -> !t.isBlank()).orElse(null);
        if (mode == TelemetryConfig.OperatorMode.token && configured == null) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            configured = "adm." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            LOG.warnf("No TELEMETRY_ADMIN_TOKEN set: generated operator token for this run: %s", configured);
        }
        this.adminToken = configured;
        this.users = mode == TelemetryConfig.OperatorMode.token
                ? config.auth().usersFile().map(f -> readUsers(f, adminToken)).orElse(List.of())
                : List.of();
        if (mode == TelemetryConfig.OperatorMode.iam && config.auth().usersFile().isPresent()) {
            LOG.warn("telemetry.auth.users-file is ignored in iam mode: in AWS people sign in through the user pool");
        }
    }

    void onStart(@Observes StartupEvent e) {
        // forces creation at start, so a generated token is printed and a bad users file stops the start
    }

    public TelemetryConfig.OperatorMode mode() {
        return mode;
    }

    public boolean isAdminToken(String token) {
        return adminToken != null && token != null && same(adminToken, token);
    }

    /** The access a bearer token gives in token mode: the admin token's, a local user's, or none. */
    public Optional<Access> byToken(String token) {
        if (isAdminToken(token)) {
            return Optional.of(Access.fleetOperator(Caller.ADMIN_TOKEN));
        }
        Access found = null;
        for (LocalUser u : users) { // every entry compared, in constant time each
            if (same(u.token(), token)) {
                found = u.access();
            }
        }
        return Optional.ofNullable(found);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    record LocalUser(String token, Access access) {
    }

    /**
     * The users file: a JSON array of {@code {"name","role","token","stores","groups"}}. A mistake in it stops the
     * start with the entry and the reason, rather than leave a user with more reach than meant.
     */
    static List<LocalUser> readUsers(Path file, String adminToken) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("the users file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("the users file " + file + " must hold a JSON array of users");
        }
        List<LocalUser> out = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode u = root.get(i);
            String where = "the users file " + file + ", user " + i + ": ";
            String name = text(u, "name", where);
            String token = text(u, "token", where);
            Access.Role role;
            try {
                role = Access.Role.valueOf(text(u, "role", where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "role must be viewer or operator");
            }
            if (token.length() < MIN_USER_TOKEN) {
                throw new IllegalArgumentException(where + "token must have at least " + MIN_USER_TOKEN + " characters");
            }
            if (!tokens.add(token) || token.equals(adminToken)) {
                throw new IllegalArgumentException(where + "token is used twice");
            }
            out.add(new LocalUser(token, new Access(name, role, strings(u, "stores", where), strings(u, "groups", where))));
        }
        LOG.infof("%d dashboard user(s) from %s", out.size(), file);
        return List.copyOf(out);
    }

    private static String text(JsonNode u, String field, String where) {
        JsonNode v = u == null ? null : u.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + field + " is required (a string)");
        }
        return v.asText();
    }

    private static Set<String> strings(JsonNode u, String field, String where) {
        JsonNode v = u.get(field);
        if (v == null || v.isNull()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        if (v.isArray()) {
            for (JsonNode s : v) {
                if (s.isTextual() && !s.asText().isBlank()) {
                    out.add(s.asText());
                    continue;
                }
                throw new IllegalArgumentException(where + field + " must be an array of ids");
            }
            return out;
        }
        throw new IllegalArgumentException(where + field + " must be an array of ids");
    }
}
