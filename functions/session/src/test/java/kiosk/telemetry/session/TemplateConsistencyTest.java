package kiosk.telemetry.session;

import io.smallrye.config.WithDefault;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import kiosk.telemetry.core.auth.KioskRoute;
import kiosk.telemetry.core.auth.OperatorRoute;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import kiosk.telemetry.engines.TelemetryEngines;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
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

/**
 * Keeps template.yaml and this function in step: code location, every JAX-RS route (with IAM auth exactly on
 * operator routes), table environment variables that name real tables the policy grants and whose names match
 * the configuration defaults used locally.
 */
class TemplateConsistencyTest {

    private static final String FUNCTION = "SessionFunction";
    private final SamTemplate template = SamTemplate.fromClasspath();

    @SuppressWarnings("unchecked")
    private Map<String, Object> function() {
        Map<String, Object> f = template.resources().get(FUNCTION);
        assertNotNull(f, FUNCTION + " is in template.yaml");
        return SamTemplate.properties(f);
    }

    @Test
    void codeUri_andRuntime_matchTheNativeBuild() {
        assertEquals("functions/session/target/function.zip", function().get("CodeUri"));
        @SuppressWarnings("unchecked")
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.root().get("Globals")).get("Function");
        assertEquals("provided.al2023", globals.get("Runtime"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
        assertEquals("iam", env.get("TELEMETRY_AUTH_OPERATOR_MODE"));
        assertEquals("true", env.get("DISABLE_SIGNAL_HANDLERS"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRouteTheCodeServes_isInTheTemplate_withIamExactlyOnOperatorRoutes() throws Exception {
        Map<String, Boolean> served = servedRoutes();
        Map<String, Boolean> declared = new HashMap<>();
        Map<String, Object> events = (Map<String, Object>) function().get("Events");
        for (Object e : events.values()) {
            Map<String, Object> ev = (Map<String, Object>) e;
            assertEquals("HttpApi", ev.get("Type"));
            Map<String, Object> p = (Map<String, Object>) ev.get("Properties");
            if ("$default".equals(p.get("Path"))) {
                continue;
            }
            boolean iam = p.get("Auth") instanceof Map<?, ?> auth && "AWS_IAM".equals(auth.get("Authorizer"));
            declared.put(p.get("Method") + " " + p.get("Path"), iam);
        }
        assertEquals(new TreeSet<>(served.keySet()), new TreeSet<>(declared.keySet()), "routes in code vs template");
        served.forEach((route, operator) -> assertEquals(operator, declared.get(route), "IAM auth on " + route));
    }

    @Test
    @SuppressWarnings("unchecked")
    void tableVariables_nameTemplateTables_grantedByThePolicy_withTheLocalDefaultNames() throws Exception {
        Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) function().get("Environment")).get("Variables");
        Set<String> tablesInEnv = new HashSet<>();
        Map<String, String> defaults = new HashMap<>();
        for (Method m : TelemetryConfig.Tables.class.getDeclaredMethods()) {
            defaults.put(m.getName(), m.getAnnotation(WithDefault.class).value());
        }
        for (var e : vars.entrySet()) {
            if (!e.getKey().startsWith("TELEMETRY_TABLES_")) {
                continue;
            }
            String key = e.getKey().substring("TELEMETRY_TABLES_".length()).toLowerCase().replace('_', '-');
            assertTrue(defaults.containsKey(key), e.getKey() + " maps to telemetry.tables." + key);
            String logicalId = (String) ((Map<String, Object>) e.getValue()).get("Ref");
            assertEquals("AWS::DynamoDB::Table", template.resources().get(logicalId).get("Type"));
            assertEquals(defaults.get(key), TableDefinitions.defaultName(logicalId, TelemetryEngines.TABLE_PREFIX),
                    "the local table name of " + logicalId + " is the config default");
            tablesInEnv.add(logicalId);
        }
        assertEquals(defaults.keySet().size(), tablesInEnv.size(), "every table the config knows is wired");

        Set<String> granted = new HashSet<>();
        for (Object pol : (List<Object>) function().get("Policies")) {
            for (Object st : (List<Object>) ((Map<String, Object>) pol).get("Statement")) {
                for (Object res : (List<Object>) ((Map<String, Object>) st).get("Resource")) {
                    Map<String, Object> r = (Map<String, Object>) res;
                    Object getAtt = r.get("Fn::GetAtt");
                    if (getAtt instanceof String s) {
                        granted.add(s.substring(0, s.indexOf('.')));
                    }
                }
                List<Object> actions = (List<Object>) ((Map<String, Object>) st).get("Action");
                assertTrue(actions.stream().noneMatch(a -> a.toString().contains("*") || a.equals("dynamodb:Scan")
                        || a.equals("dynamodb:DeleteItem")), "least privilege: " + actions);
            }
        }
        assertEquals(tablesInEnv, granted, "the policy grants exactly the tables the function is told about");
    }

    /** "METHOD /path" -> is it an operator route, for every resource method in this module. */
    private static Map<String, Boolean> servedRoutes() throws IOException, URISyntaxException, ClassNotFoundException {
        var root = Paths.get(SessionResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Boolean> out = new HashMap<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (var f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, TemplateConsistencyTest.class.getClassLoader());
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
                    Path sub = m.getAnnotation(Path.class);
                    String path = base.value() + (sub == null ? "" : "/" + sub.value());
                    boolean operator = m.isAnnotationPresent(OperatorRoute.class)
                            || (!m.isAnnotationPresent(KioskRoute.class) && c.isAnnotationPresent(OperatorRoute.class));
                    out.put(http + " " + path.replaceAll("/+", "/"), operator);
                }
            }
        }
        return out;
    }
}
