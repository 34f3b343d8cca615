package kiosk.telemetry.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges a JSON value against a schema of the OpenAPI document, for the keywords the document uses; a keyword it
 * does not know is reported as an error, so the check never passes by ignoring something. Stricter than JSON
 * Schema in one way, on purpose: an object schema that lists {@code properties} and says nothing of
 * {@code additionalProperties} allows no other member, so a member the API sends but the document does not
 * describe (or an example's stray member) is found.
 */
final class SchemaCheck {

    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "format", "default", "example", "examples",
            "deprecated", "readOnly", "writeOnly");

    private final JsonNode document;

    SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** The schema a {@code $ref} ({@code #/components/...}) points to. */
    JsonNode resolve(JsonNode node) {
        JsonNode at = node;
        for (int hops = 0; at != null && at.has("$ref") && at.size() == 1; hops++) {
            if (hops > 20) {
                throw new AssertionError("$ref loop at " + node);
            }
            at = pointer(at.get("$ref").asText());
        }
        return at;
    }

    JsonNode pointer(String ref) {
        if (!ref.startsWith("#/")) {
            throw new AssertionError("only local references are expected: " + ref);
        }
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new AssertionError("unresolved $ref " + ref);
        }
        return target;
    }

    /** Every way {@code value} departs from {@code schema}, each with its path; empty when it fits. */
    List<String> errors(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        check(value, schema, "$", out);
        return out;
    }

    private void check(JsonNode v, JsonNode schema, String at, List<String> out) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                out.add(at + ": no value is allowed here");
            }
            return;
        }
        Set<String> handled = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String k = f.getKey();
            JsonNode s = f.getValue();
            handled.add(k);
            switch (k) {
                case "$ref" -> check(v, pointer(s.asText()), at, out);
                case "type" -> {
                    boolean any = false;
                    for (JsonNode t : s.isArray() ? s : List.of(s)) {
                        any |= hasType(v, t.asText());
                    }
                    if (!any) {
                        out.add(at + ": " + describe(v) + " is not of type " + s);
                    }
                }
                case "enum" -> {
                    boolean found = false;
                    for (JsonNode e : s) {
                        found |= e.equals(v);
                    }
                    if (!found) {
                        out.add(at + ": " + v + " is not one of " + s);
                    }
                }
                case "const" -> {
                    if (!s.equals(v)) {
                        out.add(at + ": " + v + " is not " + s);
                    }
                }
                case "pattern" -> {
                    if (v.isTextual() && !Pattern.compile(s.asText()).matcher(v.asText()).find()) {
                        out.add(at + ": \"" + v.asText() + "\" does not match " + s.asText());
                    }
                }
                case "minLength" -> {
                    if (v.isTextual() && v.asText().codePointCount(0, v.asText().length()) < s.asInt()) {
                        out.add(at + ": shorter than " + s.asInt());
                    }
                }
                case "maxLength" -> {
                    if (v.isTextual() && v.asText().codePointCount(0, v.asText().length()) > s.asInt()) {
                        out.add(at + ": longer than " + s.asInt());
                    }
                }
                case "minimum" -> {
                    if (v.isNumber() && v.decimalValue().compareTo(s.decimalValue()) < 0) {
                        out.add(at + ": " + v + " is below " + s);
                    }
                }
                case "maximum" -> {
                    if (v.isNumber() && v.decimalValue().compareTo(s.decimalValue()) > 0) {
                        out.add(at + ": " + v + " is above " + s);
                    }
                }
                case "exclusiveMaximum" -> {
                    if (v.isNumber() && v.decimalValue().compareTo(s.decimalValue()) >= 0) {
                        out.add(at + ": " + v + " is not below " + s);
                    }
                }
                case "minItems" -> {
                    if (v.isArray() && v.size() < s.asInt()) {
                        out.add(at + ": fewer than " + s.asInt() + " items");
                    }
                }
                case "maxItems" -> {
                    if (v.isArray() && v.size() > s.asInt()) {
                        out.add(at + ": more than " + s.asInt() + " items");
                    }
                }
                case "maxProperties" -> {
                    if (v.isObject() && v.size() > s.asInt()) {
                        out.add(at + ": more than " + s.asInt() + " members");
                    }
                }
                case "items" -> {
                    if (v.isArray()) {
                        for (int i = 0; i < v.size(); i++) {
                            check(v.get(i), s, at + "[" + i + "]", out);
                        }
                    }
                }
                case "required" -> {
                    if (v.isObject()) {
                        for (JsonNode r : s) {
                            if (!v.has(r.asText())) {
                                out.add(at + ": missing member " + r.asText());
                            }
                        }
                    }
                }
                case "properties", "additionalProperties" -> {
                    if (v.isObject() && !handled.contains("members")) {
                        handled.add("members");
                        members(v, schema, at, out);
                    }
                }
                case "anyOf" -> {
                    boolean any = false;
                    for (JsonNode alternative : s) {
                        any |= errors(v, alternative).isEmpty();
                    }
                    if (!any) {
                        List<String> why = new ArrayList<>();
                        for (JsonNode alternative : s) {
                            why.addAll(errors(v, alternative));
                        }
                        out.add(at + ": fits none of anyOf " + why);
                    }
                }
                case "allOf" -> {
                    for (JsonNode part : s) {
                        check(v, part, at, out);
                    }
                }
                default -> {
                    if (!ANNOTATIONS.contains(k) && !k.startsWith("x-")) {
                        out.add(at + ": the check does not know the schema keyword '" + k + "'");
                    }
                }
            }
        }
    }

    private void members(JsonNode v, JsonNode schema, String at, List<String> out) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            String where = at + "." + m.getKey();
            if (properties != null && properties.has(m.getKey())) {
                check(m.getValue(), properties.get(m.getKey()), where, out);
            } else if (additional == null) {
                if (properties != null) {
                    out.add(where + ": a member the schema does not describe");
                }
            } else {
                check(m.getValue(), additional, where, out);
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            case "number" -> v.isNumber();
            case "integer" -> v.isNumber() && isWhole(v.decimalValue());
            default -> throw new AssertionError("unknown type " + type);
        };
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static String describe(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
