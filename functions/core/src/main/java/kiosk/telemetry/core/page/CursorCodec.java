package kiosk.telemetry.core.page;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque list cursors. A cursor is the position state as base64url JSON plus a check value computed over the
 * state and the query's scope (route and filters). An altered cursor, or one used with another query, fails
 * the check and is answered 400, never 500.
 * <p>
 * The check detects alteration and misuse; it is not a secret signature. Cursors carry only key values of
 * records, and a forged one still pages through the same query: its partitions and filters come from the
 * request, not from the cursor, and a store-limited caller's reach is checked on the request's parameters (and
 * on each summary a device list returns). So forging one reaches nothing the same request without it could not.
 */
public final class CursorCodec {

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final int CHECK_BYTES = 12;

    private CursorCodec() {
    }

    public static String encode(String scope, JsonNode state) {
        byte[] json = Json.write(state).getBytes(StandardCharsets.UTF_8);
        return ENC.encodeToString(json) + "." + ENC.encodeToString(check(scope, json));
    }

    public static JsonNode decode(String scope, String cursor) {
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot == cursor.length() - 1 || cursor.length() > 8192) {
            throw invalid();
        }
        byte[] json;
        byte[] given;
        try {
            json = DEC.decode(cursor.substring(0, dot));
            given = DEC.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(given, check(scope, json))) {
            throw invalid();
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw invalid();
        }
    }

    private static InvalidCursorException invalid() {
        return new InvalidCursorException();
    }

    private static byte[] check(String scope, byte[] json) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(scope.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(json);
            return Arrays.copyOf(sha.digest(), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
