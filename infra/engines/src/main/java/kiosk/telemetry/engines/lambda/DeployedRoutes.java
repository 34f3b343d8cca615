package kiosk.telemetry.engines.lambda;

import kiosk.telemetry.engines.SamTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@code template.yaml} wires to one function: its HTTP API routes with the auth each declares, and the
 * {@code Input} of each of its EventBridge Scheduler schedules, verbatim.
 */
public final class DeployedRoutes {

    /** The API of kiosks and automation (SigV4 on operator routes). */
    public static final String MACHINE_API = "HttpApi";
    /** The API of people signed in to the dashboard (Cognito ID tokens). */
    public static final String DASHBOARD_API = "DashboardApi";
    /** The dashboard API's JWT authoriser. */
    public static final String DASHBOARD_AUTHORIZER = "DashboardUsers";

    /**
     * One {@code HttpApi} event of the function: the API it is on (its logical id), and the authoriser the route
     * declares ({@code AWS_IAM}, {@code DashboardUsers}, or null for none).
     */
    public record Route(String eventName, String api, String method, String path, String authorizer) {

        /** The route declares {@code Authorizer: AWS_IAM}. */
        public boolean iam() {
            return "AWS_IAM".equals(authorizer);
        }

        public boolean onDashboardApi() {
            return DASHBOARD_API.equals(api);
        }

        public boolean catchAll() {
            return ApiGatewayEvent.CATCH_ALL.equals(path);
        }

        public String routeKey() {
            return catchAll() ? ApiGatewayEvent.CATCH_ALL : method + " " + path;
        }

        /** The path with each {@code {param}} replaced by {@code value(param)}. */
        public String pathWith(UnaryOperator<String> value) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < path.length()) {
                int open = path.indexOf('{', i);
                if (open < 0) {
                    out.append(path, i, path.length());
                    break;
                }
                int close = path.indexOf('}', open);
                out.append(path, i, open).append(value.apply(path.substring(open + 1, close)));
                i = close + 1;
            }
            return out.toString();
        }
    }

    private final Map<String, Object> function;

    private DeployedRoutes(Map<String, Object> function) {
        this.function = function;
    }

    public static DeployedRoutes of(String functionLogicalId) {
        Map<String, Object> f = SamTemplate.fromClasspath().resources().get(functionLogicalId);
        if (f == null || !"AWS::Serverless::Function".equals(f.get("Type"))) {
            throw new IllegalArgumentException(functionLogicalId + " is not a function of template.yaml");
        }
        return new DeployedRoutes(SamTemplate.properties(f));
    }

    /** The function's HTTP API routes in template order, the catch-all route included. */
    @SuppressWarnings("unchecked")
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        events("HttpApi").forEach((name, p) -> {
            String authorizer = p.get("Auth") instanceof Map<?, ?> auth ? (String) auth.get("Authorizer") : null;
            String api = p.get("ApiId") instanceof Map<?, ?> ref ? (String) ref.get("Ref") : null;
            out.add(new Route(name, api, (String) p.get("Method"), (String) p.get("Path"), authorizer));
        });
        return out;
    }

    /** Each ScheduleV2 event's {@code Input}, exactly as the template gives it, by event name. */
    public Map<String, String> scheduleInputs() {
        Map<String, String> out = new LinkedHashMap<>();
        events("ScheduleV2").forEach((name, p) -> out.put(name, (String) p.get("Input")));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> events(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> events = (Map<String, Object>) function.getOrDefault("Events", Map.of());
        events.forEach((name, e) -> {
            Map<String, Object> ev = (Map<String, Object>) e;
            if (type.equals(ev.get("Type"))) {
                out.put(name, (Map<String, Object>) ev.getOrDefault("Properties", Map.of()));
            }
        });
        return out;
    }
}
