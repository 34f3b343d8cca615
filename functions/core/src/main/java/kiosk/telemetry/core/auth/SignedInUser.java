package kiosk.telemetry.core.auth;

import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.error.ApiException;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A person signed in to the dashboard through the Cognito user pool: the claims of the ID token that API Gateway's
 * JWT authoriser verified (signature, issuer, audience, expiry) and handed on in the event. Role from the user's
 * groups ({@code cognito:groups}), reach from the user's store and group attributes.
 * <p>
 * Only an ID token carries the store and group attributes, so an access token is refused: accepting one would read
 * a limited viewer as one with the whole fleet in reach.
 */
final class SignedInUser {

    static final String TOKEN_USE = "token_use";
    static final String GROUPS = "cognito:groups";

    private SignedInUser() {
    }

    static Access access(Map<String, String> claims, TelemetryConfig.Auth config) {
        if (!"id".equals(claims.get(TOKEN_USE))) {
            throw ApiException.unauthorized("the dashboard API takes the ID token of a sign-in (token_use id), not "
                    + (claims.get(TOKEN_USE) == null ? "a token without token_use" : "an " + claims.get(TOKEN_USE) + " token"));
        }
        String principal = first(claims, "email", "cognito:username", "sub");
        Set<String> memberOf = poolGroups(claims.get(GROUPS));
        Access.Role role;
        if (memberOf.contains(config.operatorGroup())) {
            role = Access.Role.operator;
        } else if (memberOf.contains(config.viewerGroup())) {
            role = Access.Role.viewer;
        } else {
            throw ApiException.forbidden("user " + principal + " is in neither the " + config.operatorGroup() + " nor the "
                    + config.viewerGroup() + " group of the user pool");
        }
        return new Access(principal, role, ids(claims, config.storesClaim(), principal), ids(claims, config.groupsClaim(), principal));
    }

    /** {@code cognito:groups} as API Gateway hands an array claim on: {@code "[a b]"} (or one bare name). */
    static Set<String> poolGroups(String claim) {
        if (claim == null) {
            return Set.of();
        }
        String s = claim.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        return Arrays.stream(s.split("\\s+")).filter(v -> !v.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A reach attribute: comma-separated ids, each trimmed. Absent: no limit of that kind. Present but naming no id
     * (blank, only commas): refused, never read as the whole fleet, since it means someone meant to limit the user.
     */
    static Set<String> ids(Map<String, String> claims, String name, String principal) {
        String value = claims.get(name);
        if (value == null) {
            return Set.of();
        }
        Set<String> out = Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        if (out.isEmpty()) {
            throw ApiException.forbidden("user " + principal + " has " + name + " set to no id: an administrator must name the ids, "
                    + "or remove the attribute for the whole fleet");
        }
        return out;
    }

    private static String first(Map<String, String> claims, String... names) {
        for (String n : names) {
            String v = claims.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "unnamed user";
    }
}
