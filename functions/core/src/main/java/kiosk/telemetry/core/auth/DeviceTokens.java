package kiosk.telemetry.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Device bearer tokens: {@code kt1.<base64url(deviceId)>.<base64url(256 random bits)>}. The device id inside
 * lets the registry be read by key (no index, strongly consistent); the random part is the secret. Only the
 * SHA-256 of the whole token is stored.
 */
public final class DeviceTokens {

    private static final String PREFIX = "kt1.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

    private DeviceTokens() {
    }

    public static String issue(String deviceId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + ENC.encodeToString(deviceId.getBytes(StandardCharsets.UTF_8)) + "." + ENC.encodeToString(secret);
    }

    /** The device id a well-formed device token names; empty for anything else (an admin token, garbage). */
    public static Optional<String> deviceIdOf(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 512) {
            return Optional.empty();
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        try {
            String id = new String(Base64.getUrlDecoder().decode(token.substring(PREFIX.length(), dot)), StandardCharsets.UTF_8);
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
