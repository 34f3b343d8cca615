package kiosk.telemetry.core.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Map;

/** Small helpers for reading and writing attribute values; used only by table classes. */
public final class Attr {

    private Attr() {
    }

    public static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    public static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    public static AttributeValue n(BigDecimal v) {
        return AttributeValue.fromN(v.toPlainString());
    }

    public static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }

    /** Puts {@code value} as a string attribute when it is not null. */
    public static void putS(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : v.s();
    }

    public static Long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    public static BigDecimal decimal(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : new BigDecimal(v.n());
    }

    /**
     * An item's size as DynamoDB counts it against its 400 KB item limit: each attribute's name and value in
     * UTF-8 bytes, a number at its largest (21 bytes), a boolean 1 byte. Items of this service hold only these types.
     */
    public static long itemBytes(Map<String, AttributeValue> item) {
        long size = 0;
        for (var e : item.entrySet()) {
            size += utf8Bytes(e.getKey());
            AttributeValue v = e.getValue();
            if (v.s() != null) {
                size += utf8Bytes(v.s());
            } else if (v.n() != null) {
                size += 21;
            } else if (v.bool() != null) {
                size += 1;
            } else {
                throw new IllegalArgumentException("no size rule for attribute " + e.getKey() + " of type " + v.type());
            }
        }
        return size;
    }

    private static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    public static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
