package kiosk.telemetry.core.metrics;

import kiosk.telemetry.engines.SamTemplate;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template's alarms on the KioskTelemetry namespace watch metrics the code really emits: the metric is an
 * {@link Emf.Metric}, the dimension set is one it is emitted with, and Function is a real function's name.
 */
class TemplateAlarmsTest {

    private final SamTemplate template = SamTemplate.fromClasspath();

    private static Set<String> functionNames() throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> props = Files.list(Path.of("..")).map(m -> m.resolve("src/main/resources/application.properties"))) {
            for (Path p : props.filter(Files::exists).toList()) {
                Properties pr = new Properties();
                try (Reader r = Files.newBufferedReader(p)) {
                    pr.load(r);
                }
                if (pr.getProperty("quarkus.application.name") != null) {
                    names.add(pr.getProperty("quarkus.application.name"));
                }
            }
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutAGivenTopic_theStackCreatesOne_withAnOptionalEmailSubscription() {
        Map<String, Object> topic = template.resources().get("AlarmTopic");
        assertEquals("AWS::SNS::Topic", topic.get("Type"));
        assertEquals("CreateAlarmTopic", topic.get("Condition"));
        Map<String, Object> conditions = (Map<String, Object>) template.root().get("Conditions");
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "AlarmTopicArn"), "")), conditions.get("CreateAlarmTopic"));
        Map<String, Object> mail = template.resources().get("AlarmEmailSubscription");
        assertEquals("SubscribeAlarmEmail", mail.get("Condition"));
        assertEquals(Map.of("Ref", "AlarmTopic"), SamTemplate.properties(mail).get("TopicArn"));
        assertEquals(Map.of("Ref", "AlarmEmail"), SamTemplate.properties(mail).get("Endpoint"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHttpApi_writesAccessLogs_withTheRequestIdAndTheIamCaller() throws Exception {
        Map<String, Object> api = SamTemplate.properties(template.resources().get("HttpApi"));
        Map<String, Object> logs = (Map<String, Object>) api.get("AccessLogSettings");
        assertEquals(Map.of("Fn::GetAtt", "HttpApiAccessLogs.Arn"), logs.get("DestinationArn"));
        JsonNode format = new ObjectMapper().readTree((String) logs.get("Format"));
        assertEquals("$context.requestId", format.get("requestId").asText());
        assertEquals("$context.identity.userArn", format.get("iamUserArn").asText());
        assertEquals("$context.routeKey", format.get("routeKey").asText());
        assertEquals("$context.status", format.get("status").asText());
        assertEquals("AWS::Logs::LogGroup", template.resources().get("HttpApiAccessLogs").get("Type"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlarmOnOurNamespace_watchesAnEmittedMetric_withAnEmittedDimensionSet() throws IOException {
        Set<String> functions = functionNames();
        assertTrue(functions.contains("telemetry-session") && functions.contains("telemetry-aggregator"), functions.toString());
        var alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        assertTrue(alarms.keySet().containsAll(List.of("NoVisitsAlarm", "NightlyAggregationAlarm", "AggregationFailedAlarm",
                "AggregatorDeadLettersAlarm", "Api5xxAlarm", "InternalErrorsAlarm")), alarms.keySet().toString());
        int ours = 0;
        for (var e : alarms.entrySet()) {
            Map<String, Object> p = SamTemplate.properties(e.getValue());
            assertEquals(List.of(Map.of("Fn::If", List.of("HasAlarmTopic", Map.of("Ref", "AlarmTopicArn"), Map.of("Ref", "AlarmTopic")))),
                    p.get("AlarmActions"), e.getKey() + " notifies the given topic, or the one the stack creates");
            List<Map<String, Object>> watched = new ArrayList<>();
            if (p.containsKey("MetricName")) {
                watched.add(p);
            }
            for (Object q : (List<Object>) p.getOrDefault("Metrics", List.of())) {
                Object stat = ((Map<String, Object>) q).get("MetricStat");
                if (stat != null) {
                    watched.add((Map<String, Object>) ((Map<String, Object>) stat).get("Metric"));
                }
            }
            for (Map<String, Object> w : watched) {
                if (!"KioskTelemetry".equals(w.get("Namespace"))) {
                    continue;
                }
                ours++;
                checkEmitted(e.getKey(), w, functions);
            }
        }
        assertEquals(4 + functions.size(), ours, "metrics on the KioskTelemetry namespace watched by alarms");
    }

    @Test
    @SuppressWarnings("unchecked")
    void internalErrorsAlarm_watchesEveryFunction() throws IOException {
        Map<String, Object> p = SamTemplate.properties(template.resourcesOfType("AWS::CloudWatch::Alarm").get("InternalErrorsAlarm"));
        Set<String> watched = new HashSet<>();
        for (Object q : (List<Object>) p.get("Metrics")) {
            Object stat = ((Map<String, Object>) q).get("MetricStat");
            if (stat != null) {
                Map<String, Object> metric = (Map<String, Object>) ((Map<String, Object>) stat).get("Metric");
                assertEquals("InternalErrors", metric.get("MetricName"));
                watched.add((String) ((Map<String, Object>) ((List<Object>) metric.get("Dimensions")).get(0)).get("Value"));
            }
        }
        assertEquals(functionNames(), watched);
    }

    @SuppressWarnings("unchecked")
    private static void checkEmitted(String alarm, Map<String, Object> p, Set<String> functions) {
        Emf.Metric metric = Emf.Metric.valueOf((String) p.get("MetricName"));
        Set<String> dims = new HashSet<>();
        for (Object d : (List<Object>) p.get("Dimensions")) {
            Map<String, Object> dim = (Map<String, Object>) d;
            dims.add((String) dim.get("Name"));
            if ("Function".equals(dim.get("Name"))) {
                assertTrue(functions.contains((String) dim.get("Value")), alarm + ": no function is named " + dim.get("Value"));
            }
            if ("Trigger".equals(dim.get("Name"))) {
                assertTrue(Set.of("schedule", "manual").contains((String) dim.get("Value")), alarm);
            }
        }
        List<Set<String>> emitted = new ArrayList<>();
        emitted.add(Set.of("Function"));
        if (metric.dimension() != null) {
            emitted.add(Set.of("Function", metric.dimension()));
        }
        assertTrue(emitted.contains(dims), alarm + ": " + metric + " is emitted with " + emitted + ", the alarm uses " + dims);
    }

    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{KioskTelemetry,([A-Za-z,]+)\\} MetricName=\\\\\"(\\w+)\\\\\"");

    @Test
    @SuppressWarnings("unchecked")
    void theDashboard_showsOnlyEmittedMetrics_withEmittedDimensions_coveringIngestLatencyAndTheNightlyRun() throws Exception {
        Map<String, Object> props = SamTemplate.properties(template.resources().get("OperationsDashboard"));
        String body = (String) ((Map<String, Object>) props.get("DashboardBody")).get("Fn::Sub");
        JsonNode dashboard = new ObjectMapper().readTree(body.replaceAll("\\$\\{[^}]+}", "X"));
        Set<String> shown = new HashSet<>();
        Matcher m = SEARCH.matcher(body);
        while (m.find()) {
            Emf.Metric metric = Emf.Metric.valueOf(m.group(2));
            Set<String> dims = Set.of(m.group(1).split(","));
            assertTrue(dims.equals(Set.of("Function")) || (metric.dimension() != null && dims.equals(Set.of("Function", metric.dimension()))),
                    m.group() + ": " + metric + " is emitted per Function" + (metric.dimension() == null ? "" : " and per Function and " + metric.dimension()));
            shown.add(metric.name());
        }
        Set<String> functions = functionNames();
        for (JsonNode widget : dashboard.get("widgets")) {
            for (JsonNode line : widget.path("properties").path("metrics")) {
                if (!"KioskTelemetry".equals(line.path(0).asText())) {
                    continue;
                }
                Emf.Metric metric = Emf.Metric.valueOf(line.get(1).asText());
                Set<String> dims = new HashSet<>();
                for (int i = 2; i + 1 < line.size() && line.get(i).isTextual(); i += 2) {
                    dims.add(line.get(i).asText());
                    if (line.get(i).asText().equals("Function")) {
                        assertTrue(functions.contains(line.get(i + 1).asText()), line.toString());
                    }
                }
                assertTrue(dims.equals(Set.of("Function")) || (metric.dimension() != null && dims.equals(Set.of("Function", metric.dimension()))),
                        metric + " with " + dims);
                shown.add(metric.name());
            }
        }
        assertTrue(shown.containsAll(Set.of("Accepted", "Duplicates", "Rejected", "Retried", "Latency", "Requests", "ServerErrors",
                "SessionsCreated", "RunSucceeded", "RunFailed", "RunDurationMs", "RecordsAggregated", "NightlyRunMissing")), shown.toString());
    }

    @Test
    void emittingAMetricWithOtherDimensions_isRefused() {
        Emf emf = new Emf("N", "f", java.time.Clock.systemUTC(), line -> { });
        assertThrows(IllegalArgumentException.class, () -> emf.emit(Map.of("Route", "x"), Emf.values(Emf.Metric.SessionsCreated, 1)));
        assertThrows(IllegalArgumentException.class, () -> emf.emit(Emf.values(Emf.Metric.Accepted, 1)));
    }
}
