package kiosk.telemetry.core.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** How big an item is as DynamoDB counts it. */
public final class ItemSize {

    private ItemSize() {
    }

    /**
     * An item's size as DynamoDB counts it against its 400 KB item limit: each attribute's name and value in
     * UTF-8 bytes, a number at its largest (21 bytes), a boolean 1 byte. Items of this service hold only these types.
     */
    public static long of(Map<String, AttributeValue> item) {
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
}
