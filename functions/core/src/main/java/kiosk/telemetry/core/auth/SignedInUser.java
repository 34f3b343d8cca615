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
        Set<String> memberOf = list(claims.get(GROUPS));
        Access.Role role;
        if (memberOf.contains(config.operatorGroup())) {
            role = Access.Role.operator;
        } else if (memberOf.contains(config.viewerGroup())) {
            role = Access.Role.viewer;
        } else {
            throw ApiException.forbidden("user " + principal + " is in neither the " + config.operatorGroup() + " nor the "
                    + config.viewerGroup() + " group of the user pool");
        }
        return new Access(principal, role, list(claims.get(config.storesClaim())), list(claims.get(config.groupsClaim())));
    }

    /**
     * A claim holding several values as API Gateway hands them on: an array claim becomes {@code "[a b]"}, a
     * string attribute holds {@code "a,b"}. Null or blank is no value.
     */
    static Set<String> list(String claim) {
        if (claim == null) {
            return Set.of();
        }
        String s = claim.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        return Arrays.stream(s.split("[,\\s]+")).filter(v -> !v.isEmpty()).collect(Collectors.toUnmodifiableSet());
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
