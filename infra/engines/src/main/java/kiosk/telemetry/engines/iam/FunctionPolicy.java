package kiosk.telemetry.engines.iam;

import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import kiosk.telemetry.engines.TelemetryEngines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DynamoDB part of one function's IAM policy in {@code template.yaml}, evaluated as IAM would for a
 * {@link DynamoAccess}: allowed when some {@code Allow} statement matches the action, the resource and all of its
 * conditions, and no {@code Deny} statement matches. Only inline statements are read; a SAM policy template or
 * managed policy that could grant DynamoDB access, a {@code NotAction}/{@code NotResource}, or a condition this class
 * cannot evaluate fails on loading, so that nothing is passed unchecked. Tables are matched by ARN: a call's table
 * name (the engines' name of a template table, {@link TableDefinitions#defaultName}) and the policy's
 * {@code !GetAtt XTable.Arn} / {@code !Sub "${XTable.Arn}/index/*"} become ARNs in one made-up account and region.
 */
public final class FunctionPolicy {

    static final String ACCOUNT = "123456789012";
    private static final Set<String> CONDITION_KEYS = Set.of(DynamoAccess.ATTRIBUTES, DynamoAccess.RETURN_VALUES, DynamoAccess.SELECT);
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final Map<String, FunctionPolicy> FROM_CLASSPATH = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    private record Condition(String text, String qualifier, String test, boolean ifExists, String key, List<String> values) {
    }

    private record Statement(String sid, boolean allow, List<String> actions, List<String> resources, List<Condition> conditions) {
    }

    private final String function;
    private final List<Statement> statements;
    private final Map<String, String> tableIds;
    private final List<String> unresolved;

    private FunctionPolicy(String function, List<Statement> statements, Map<String, String> tableIds, List<String> unresolved) {
        this.function = function;
        this.statements = statements;
        this.tableIds = tableIds;
        this.unresolved = unresolved;
    }

    /** The policy of {@code functionLogicalId} in the template on the class path (cached). */
    public static FunctionPolicy fromClasspath(String functionLogicalId) {
        return FROM_CLASSPATH.computeIfAbsent(functionLogicalId, f -> of(SamTemplate.fromClasspath(), f, TelemetryEngines.TABLE_PREFIX));
    }

    /** The policy of {@code functionLogicalId}, its tables named as the engines name them with {@code tablePrefix}. */
    @SuppressWarnings("unchecked")
    public static FunctionPolicy of(SamTemplate template, String functionLogicalId, String tablePrefix) {
        Map<String, Object> resource = template.resources().get(functionLogicalId);
        if (resource == null || !"AWS::Serverless::Function".equals(resource.get("Type"))) {
            throw new IllegalArgumentException(functionLogicalId + " is not a function of template.yaml");
        }
        Map<String, String> names = TableDefinitions.names(TableDefinitions.from(template, tablePrefix));
        Map<String, String> tableIds = new HashMap<>();
        names.forEach((id, name) -> tableIds.put(name, id));
        Resolver resolver = new Resolver(names);
        Object policies = SamTemplate.properties(resource).get("Policies");
        List<Object> entries = policies == null ? List.of() : policies instanceof List<?> l ? (List<Object>) l : List.of(policies);
        List<Statement> statements = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> m && m.containsKey("Statement")) {
                Object st = m.get("Statement");
                for (Object s : st instanceof List<?> l ? (List<Object>) l : List.of(st)) {
                    Statement parsed = statement(functionLogicalId, (Map<String, Object>) s, resolver);
                    if (parsed != null) {
                        statements.add(parsed);
                    }
                }
            } else {
                String name = entry instanceof Map<?, ?> m ? String.valueOf(m.keySet()) : String.valueOf(entry);
                if (name.toLowerCase(Locale.ROOT).contains("dynamodb")) {
                    throw new IllegalStateException(functionLogicalId + ": " + name + " may grant DynamoDB access, and only inline statements"
                            + " are checked; write it as statements");
                }
            }
        }
        return new FunctionPolicy(functionLogicalId, List.copyOf(statements), Map.copyOf(tableIds), List.copyOf(resolver.unresolved));
    }

    public String function() {
        return function;
    }

    /** The logical id of the template table the engines name {@code tableName}, if any. */
    public Optional<String> tableLogicalId(String tableName) {
        return Optional.ofNullable(tableIds.get(tableName));
    }

    /** The ARN IAM sees for the access: its table, or the table's index. */
    public static String resourceArn(DynamoAccess access) {
        if (access.table() == null) {
            return "*";
        }
        String table = arnOfTable(access.table());
        return access.index() == null ? table : table + "/index/" + access.index();
    }

    /** Why IAM would refuse the access, or empty when the policy allows it. */
    public Optional<String> refusal(DynamoAccess access) {
        String action = access.iamAction();
        String arn = resourceArn(access);
        List<String> unmet = new ArrayList<>();
        boolean allowed = false;
        for (Statement s : statements) {
            if (!matchesAny(s.actions(), action, true) || !matchesAny(s.resources(), arn, false)) {
                continue;
            }
            List<String> failed = s.conditions().stream().filter(c -> !holds(c, access.context())).map(Condition::text).toList();
            if (!failed.isEmpty()) {
                if (s.allow()) {
                    unmet.add(s.sid() + ": " + String.join(", ", failed) + " is not met by " + access.context());
                }
                continue;
            }
            if (!s.allow()) {
                return Optional.of(describe(access) + " is denied explicitly by " + s.sid());
            }
            allowed = true;
        }
        if (allowed) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder(describe(access)).append(": no statement of the policy allows it");
        if (!unmet.isEmpty()) {
            why.append(" (").append(String.join("; ", unmet)).append(")");
        }
        if (!unresolved.isEmpty()) {
            why.append(" (resources of the policy this check could not resolve: ").append(String.join(", ", unresolved)).append(")");
        }
        return Optional.of(why.toString());
    }

    /** The action and resource, with the table's logical id. */
    public String describe(DynamoAccess access) {
        String table = access.table() == null ? "no table"
                : tableLogicalId(access.table()).map(id -> id + (access.index() == null ? "" : " index " + access.index()))
                .orElse("table " + access.table() + ", which template.yaml does not declare");
        return access.iamAction() + " on " + resourceArn(access) + " (" + table + ")";
    }

    static String arnOfTable(String tableName) {
        return "arn:aws:dynamodb:" + EmbeddedDynamo.REGION + ":" + ACCOUNT + ":table/" + tableName;
    }

    @SuppressWarnings("unchecked")
    private static Statement statement(String function, Map<String, Object> s, Resolver resolver) {
        String sid = String.valueOf(s.getOrDefault("Sid", "(statement without Sid)"));
        if (s.containsKey("NotAction") || s.containsKey("NotResource") || s.containsKey("NotPrincipal")) {
            if (String.valueOf(s).toLowerCase(Locale.ROOT).contains("dynamodb")) {
                throw new IllegalStateException(function + " " + sid + ": NotAction/NotResource are not checked; list the actions and resources");
            }
            return null;
        }
        List<String> actions = strings(s.get("Action"));
        if (actions.stream().noneMatch(a -> a.equals("*") || a.toLowerCase(Locale.ROOT).startsWith("dynamodb:"))) {
            return null;
        }
        List<String> resources = new ArrayList<>();
        Object r = s.get("Resource");
        for (Object one : r instanceof List<?> l ? (List<Object>) l : List.of(r)) {
            resources.add(resolver.resolve(one));
        }
        List<Condition> conditions = new ArrayList<>();
        Object c = s.get("Condition");
        if (c instanceof Map<?, ?> block) {
            for (var operator : ((Map<String, Object>) block).entrySet()) {
                for (var key : ((Map<String, Object>) operator.getValue()).entrySet()) {
                    conditions.add(condition(function, sid, operator.getKey(), key.getKey(), strings(key.getValue())));
                }
            }
        }
        return new Statement(sid, !"Deny".equals(s.get("Effect")), actions, resources, conditions);
    }

    private static Condition condition(String function, String sid, String operator, String key, List<String> values) {
        String text = operator + " " + key + " " + values;
        if (!CONDITION_KEYS.contains(key)) {
            throw new IllegalStateException(function + " " + sid + ": condition key " + key + " is not evaluated by this check; teach "
                    + FunctionPolicy.class.getSimpleName() + " before relying on it");
        }
        String qualifier = null;
        String test = operator;
        if (test.startsWith("ForAllValues:") || test.startsWith("ForAnyValue:")) {
            qualifier = test.substring(0, test.indexOf(':'));
            test = test.substring(test.indexOf(':') + 1);
        }
        boolean ifExists = test.endsWith("IfExists");
        if (ifExists) {
            test = test.substring(0, test.length() - "IfExists".length());
        }
        if (!Set.of("StringEquals", "StringNotEquals", "StringLike", "StringNotLike").contains(test)) {
            throw new IllegalStateException(function + " " + sid + ": condition operator " + operator + " is not evaluated by this check");
        }
        return new Condition(text, qualifier, test, ifExists, key, values);
    }

    /** IAM's reading of one condition against the request's values of its key. */
    private static boolean holds(Condition c, Map<String, List<String>> context) {
        List<String> values = context.get(c.key());
        boolean absent = values == null || values.isEmpty();
        if ("ForAllValues".equals(c.qualifier())) {
            return absent || values.stream().allMatch(v -> test(c, v));
        }
        if ("ForAnyValue".equals(c.qualifier())) {
            return absent ? c.ifExists() : values.stream().anyMatch(v -> test(c, v));
        }
        if (absent) {
            return c.ifExists() || c.test().contains("Not");
        }
        return values.stream().allMatch(v -> test(c, v));
    }

    private static boolean test(Condition c, String value) {
        boolean like = c.test().endsWith("Like");
        boolean any = c.values().stream().anyMatch(p -> like ? glob(p, value, false) : p.equals(value));
        return c.test().contains("Not") != any;
    }

    private static boolean matchesAny(List<String> patterns, String value, boolean ignoreCase) {
        return patterns.stream().anyMatch(p -> glob(p, value, ignoreCase));
    }

    /** IAM's wildcards: {@code *} any characters, {@code ?} one. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        return GLOBS.computeIfAbsent((ignoreCase ? "i:" : "s:") + pattern, k -> {
            StringBuilder regex = new StringBuilder();
            for (char ch : pattern.toCharArray()) {
                regex.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
            }
            return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        }).matcher(value).matches();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? ((List<Object>) l).stream().map(String::valueOf).toList() : List.of(String.valueOf(o));
    }

    /** Turns a policy's resource (a string or an intrinsic function) into an ARN pattern. */
    private static final class Resolver {
        private final Map<String, String> tableNames;
        private final List<String> unresolved = new ArrayList<>();

        Resolver(Map<String, String> tableNames) {
            this.tableNames = tableNames;
        }

        @SuppressWarnings("unchecked")
        String resolve(Object resource) {
            if (resource instanceof String s) {
                return s;
            }
            if (resource instanceof Map<?, ?> m && m.size() == 1) {
                var e = ((Map<String, Object>) m).entrySet().iterator().next();
                String out = switch (e.getKey()) {
                    case "Fn::GetAtt" -> getAtt(e.getValue() instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(e.getValue()));
                    case "Ref" -> ref(String.valueOf(e.getValue()));
                    case "Fn::Sub" -> sub(e.getValue());
                    case "Fn::Join" -> join((List<Object>) e.getValue());
                    default -> null;
                };
                if (out != null) {
                    return out;
                }
            }
            return unresolved(String.valueOf(resource));
        }

        private String getAtt(String target) {
            int dot = target.indexOf('.');
            String id = dot < 0 ? target : target.substring(0, dot);
            if (tableNames.containsKey(id) && target.endsWith(".Arn")) {
                return arnOfTable(tableNames.get(id));
            }
            return null;
        }

        private String ref(String id) {
            return switch (id) {
                case "AWS::Partition" -> "aws";
                case "AWS::Region" -> EmbeddedDynamo.REGION;
                case "AWS::AccountId" -> ACCOUNT;
                default -> tableNames.get(id);
            };
        }

        @SuppressWarnings("unchecked")
        private String sub(Object value) {
            String text;
            Map<String, Object> variables = new LinkedHashMap<>();
            if (value instanceof List<?> l) {
                text = String.valueOf(l.get(0));
                variables.putAll((Map<String, Object>) l.get(1));
            } else {
                text = String.valueOf(value);
            }
            Matcher m = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String v = variables.containsKey(name) ? resolve(variables.get(name))
                        : name.contains(".") ? getAtt(name) : ref(name);
                if (v == null || v.startsWith("unresolved:")) {
                    return null;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            return out.toString().replace("${!", "${");
        }

        private String join(List<Object> value) {
            List<String> parts = new ArrayList<>();
            for (Object part : (List<?>) value.get(1)) {
                String p = resolve(part);
                if (p.startsWith("unresolved:")) {
                    return null;
                }
                parts.add(p);
            }
            return String.join(String.valueOf(value.get(0)), parts);
        }

        private String unresolved(String what) {
            unresolved.add(what);
            return "unresolved:" + what;
        }
    }
}
