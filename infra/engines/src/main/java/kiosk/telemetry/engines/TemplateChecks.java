package kiosk.telemetry.engines;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import kiosk.telemetry.engines.lambda.DeployedRoutes;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.lang.reflect.AnnotatedElement;

/**
 * Assertions that keep {@code template.yaml} and a function module in step; each function's
 * {@code TemplateConsistencyTest} calls them for its own function.
 */
public final class TemplateChecks {

    private static final String KIOSK_ROUTE = "kiosk.telemetry.core.auth.KioskRoute";
    private static final String OPERATOR_ROUTE = "kiosk.telemetry.core.auth.OperatorRoute";
    private static final String DIRECT_INVOKE_ONLY = "kiosk.telemetry.core.auth.DirectInvokeOnly";

    private final SamTemplate template = SamTemplate.fromClasspath();
    private final String function;

    public TemplateChecks(String functionLogicalId) {
        this.function = functionLogicalId;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties() {
        Map<String, Object> f = template.resources().get(function);
        assertNotNull(f, function + " is in template.yaml");
        assertEquals("AWS::Serverless::Function", f.get("Type"));
        return SamTemplate.properties(f);
    }

    /** The function deploys the module's native zip on the runtime the native build targets. */
    @SuppressWarnings("unchecked")
    public void codeUriIs(String moduleDir) {
        assertEquals(moduleDir + "/target/function.zip", properties().get("CodeUri"));
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.root().get("Globals")).get("Function");
        assertEquals("provided.al2023", globals.get("Runtime"));
        assertEquals(List.of("arm64"), globals.get("Architectures"));
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
        assertEquals("iam", env.get("TELEMETRY_AUTH_OPERATOR_MODE"));
        assertEquals("true", env.get("DISABLE_SIGNAL_HANDLERS"));
    }

    /**
     * Every JAX-RS route of the classes under {@code anyResource}'s class-path root is an event of the function on
     * the machine API ({@code HttpApi}), and the other way round ({@code $default} aside), with AWS_IAM exactly on
     * operator routes. Each route on the dashboard API is one of its operator routes, behind the JWT authoriser.
     */
    public void routesMatch(Class<?> anyResource) throws Exception {
        operatorModeFailsClosed(anyResource);
        Map<String, Boolean> served = servedRoutes(anyResource);
        Map<String, Boolean> declared = new HashMap<>();
        for (DeployedRoutes.Route r : DeployedRoutes.of(function).routes()) {
            if (r.catchAll()) {
                continue;
            }
            if (r.onDashboardApi()) {
                assertEquals(Boolean.TRUE, served.get(r.routeKey()), r.routeKey() + " on the dashboard API is an operator route of " + function);
                assertEquals(DeployedRoutes.DASHBOARD_AUTHORIZER, r.authorizer(), r.routeKey() + " on the dashboard API takes the JWT authoriser");
                continue;
            }
            assertEquals(DeployedRoutes.MACHINE_API, r.api(), r.eventName() + " is on one of the template's two APIs");
            declared.put(r.routeKey(), r.iam());
        }
        assertEquals(new TreeSet<>(served.keySet()), new TreeSet<>(declared.keySet()), "routes in code vs template for " + function);
        served.forEach((route, operator) -> assertEquals(operator, declared.get(route), "AWS_IAM on " + route));
    }

    /**
     * Each {@code TELEMETRY_TABLES_*} variable names a table of the template, is a key of the tables config
     * ({@code tablesConfig}, whose defaults must equal the local table names), and the function's policy grants
     * exactly those tables, with no wildcard, Scan or DeleteItem.
     */
    @SuppressWarnings("unchecked")
    public void tablesWired(Class<?> tablesConfig) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        for (Method m : tablesConfig.getDeclaredMethods()) {
            for (Annotation a : m.getAnnotations()) {
                if (a.annotationType().getName().equals("io.smallrye.config.WithDefault")) {
                    defaults.put(kebab(m.getName()), (String) a.annotationType().getMethod("value").invoke(a));
                }
            }
        }
        Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) properties().get("Environment")).get("Variables");
        Set<String> inEnv = new HashSet<>();
        for (var e : vars.entrySet()) {
            if (!e.getKey().startsWith("TELEMETRY_TABLES_")) {
                continue;
            }
            String key = e.getKey().substring("TELEMETRY_TABLES_".length()).toLowerCase().replace('_', '-');
            assertTrue(defaults.containsKey(key), e.getKey() + " is the setting telemetry.tables." + key);
            String logicalId = (String) ((Map<String, Object>) e.getValue()).get("Ref");
            assertEquals("AWS::DynamoDB::Table", template.resources().get(logicalId).get("Type"), logicalId);
            assertEquals(defaults.get(key), TableDefinitions.defaultName(logicalId, TelemetryEngines.TABLE_PREFIX),
                    "the local name of " + logicalId + " is the default of telemetry.tables." + key);
            inEnv.add(logicalId);
        }
        Set<String> granted = new HashSet<>();
        for (Object pol : (List<Object>) properties().get("Policies")) {
            Object statements = ((Map<String, Object>) pol).get("Statement");
            if (statements == null) {
                continue; // a SAM policy template (SQSSendMessagePolicy, ...), scoped by its own parameters
            }
            for (Object st : (List<Object>) statements) {
                Map<String, Object> statement = (Map<String, Object>) st;
                Object resources = statement.get("Resource");
                for (Object res : resources instanceof List<?> l ? (List<Object>) l : List.of(resources)) {
                    if (res instanceof Map<?, ?> r && r.get("Fn::GetAtt") instanceof String s
                            && "AWS::DynamoDB::Table".equals(template.resources().get(s.substring(0, s.indexOf('.'))).get("Type"))) {
                        granted.add(s.substring(0, s.indexOf('.')));
                    }
                }
                List<Object> actions = (List<Object>) statement.get("Action");
                assertTrue(actions.stream().noneMatch(a -> a.toString().contains("*") || a.equals("dynamodb:Scan")
                        || a.equals("dynamodb:DeleteItem")), "least privilege in " + function + ": " + actions);
            }
        }
        assertEquals(inEnv, granted, function + ": the policy grants exactly the tables it is told about");
    }

    /** The function's packaged configuration leaves operator routes to IAM outside the dev and test profiles. */
    private static void operatorModeFailsClosed(Class<?> anyResource) throws Exception {
        var root = Paths.get(anyResource.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (String line : Files.readAllLines(root.resolve("application.properties"))) {
            String l = line.strip();
            if (l.startsWith("telemetry.auth.operator-mode") || l.startsWith("%prod.telemetry.auth.operator-mode")) {
                assertEquals("iam", l.substring(l.indexOf('=') + 1).strip(), "the Lambda build's operator mode: " + l);
            }
        }
    }

    /**
     * The function may write the table {@code tableLogicalId} only through UpdateItem, and only in
     * {@code attributes}: every statement naming the table allows no other write, and each one allowing
     * {@code dynamodb:UpdateItem} carries {@code ForAllValues:StringEquals dynamodb:Attributes} = {@code attributes}
     * with {@code dynamodb:ReturnValues} (NONE, UPDATED_OLD, UPDATED_NEW) and {@code dynamodb:Select}
     * (SPECIFIC_ATTRIBUTES) limited where the request has them, as AWS documents for fine-grained access.
     */
    @SuppressWarnings("unchecked")
    public void updatesOnlyAttributes(String tableLogicalId, List<String> attributes) {
        int updating = 0;
        for (Object pol : (List<Object>) properties().get("Policies")) {
            Object statements = ((Map<String, Object>) pol).get("Statement");
            if (statements == null) {
                continue;
            }
            for (Object st : (List<Object>) statements) {
                Map<String, Object> statement = (Map<String, Object>) st;
                Object resources = statement.get("Resource");
                boolean names = (resources instanceof List<?> l ? (List<Object>) l : List.of(resources)).stream()
                        .anyMatch(r -> r instanceof Map<?, ?> m && (tableLogicalId + ".Arn").equals(m.get("Fn::GetAtt")));
                if (!names) {
                    continue;
                }
                List<Object> actions = (List<Object>) statement.get("Action");
                assertTrue(actions.stream().noneMatch(a -> List.of("dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
                        "dynamodb:PartiQLUpdate", "dynamodb:PartiQLInsert").contains(a) || a.toString().contains("*")),
                        function + " writes " + tableLogicalId + " only by UpdateItem: " + actions);
                if (!actions.contains("dynamodb:UpdateItem")) {
                    continue;
                }
                updating++;
                assertEquals(List.of("dynamodb:UpdateItem"), actions, function + ": the conditioned statement allows UpdateItem alone");
                Map<String, Object> condition = (Map<String, Object>) statement.get("Condition");
                assertNotNull(condition, function + ": UpdateItem on " + tableLogicalId + " has a condition");
                Map<String, Object> all = (Map<String, Object>) condition.get("ForAllValues:StringEquals");
                assertNotNull(all, function + ": ForAllValues:StringEquals");
                assertEquals(new TreeSet<>(attributes), new TreeSet<>((List<String>) all.get("dynamodb:Attributes")),
                        function + ": the attributes an UpdateItem on " + tableLogicalId + " may name");
                Map<String, Object> ifExists = (Map<String, Object>) condition.get("StringEqualsIfExists");
                assertNotNull(ifExists, function + ": StringEqualsIfExists");
                assertEquals(List.of("NONE", "UPDATED_OLD", "UPDATED_NEW"), ifExists.get("dynamodb:ReturnValues"));
                assertEquals("SPECIFIC_ATTRIBUTES", ifExists.get("dynamodb:Select"));
            }
        }
        assertEquals(1, updating, function + ": one statement allows UpdateItem on " + tableLogicalId);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Map<String, Boolean> servedRoutes(Class<?> anyResource) throws Exception {
        var root = Paths.get(anyResource.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Boolean> out = new HashMap<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (var f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, anyResource.getClassLoader());
                Path base = c.getAnnotation(Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    String http = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                            : m.isAnnotationPresent(PATCH.class) ? "PATCH" : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                            : m.isAnnotationPresent(PUT.class) ? "PUT" : null;
                    if (http == null) {
                        continue;
                    }
                    boolean declared = has(m, KIOSK_ROUTE) || has(m, OPERATOR_ROUTE) || has(m, DIRECT_INVOKE_ONLY)
                            || has(c, KIOSK_ROUTE) || has(c, OPERATOR_ROUTE);
                    assertTrue(declared, c.getSimpleName() + "." + m.getName() + " says who may call it (@KioskRoute, @OperatorRoute"
                            + " or @DirectInvokeOnly)");
                    Path sub = m.getAnnotation(Path.class);
                    if (has(m, DIRECT_INVOKE_ONLY)) {
                        continue;
                    }
                    String path = (base.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                    boolean operator = has(m, OPERATOR_ROUTE) || (!has(m, KIOSK_ROUTE) && has(c, OPERATOR_ROUTE));
                    out.put(http + " " + path, operator);
                }
            }
        }
        return out;
    }

    private static boolean has(AnnotatedElement e, String annotation) {
        for (Annotation a : e.getAnnotations()) {
            if (a.annotationType().getName().equals(annotation)) {
                return true;
            }
        }
        return false;
    }
}
