package kiosk.telemetry.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lines are what CloudWatch's EMF specification requires: a root _aws directive whose names resolve. */
class EmfTest {

    private final List<String> lines = new ArrayList<>();
    private final Emf emf = new Emf("KioskTelemetry", "telemetry-event-batch",
            new TestClock(Instant.parse("2025-01-19T01:00:00Z")), lines::add);

    @Test
    void oneLine_withDirective_dimensionSets_andValuesAtTheRoot() throws Exception {
        emf.emit(Map.of("Route", "POST /api/events/batch"),
                Emf.values(Emf.Metric.Requests, 48, Emf.Metric.ServerErrors, 1, Emf.Metric.Latency, 12.5));
        assertEquals(1, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));

        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertEquals(Instant.parse("2025-01-19T01:00:00Z").toEpochMilli(), line.at("/_aws/Timestamp").asLong());
        assertEquals("KioskTelemetry", directive.get("Namespace").asText());
        assertEquals("[[\"Function\",\"Route\"],[\"Function\"]]", directive.get("Dimensions").toString());
        assertEquals("[{\"Name\":\"Requests\",\"Unit\":\"Count\"},{\"Name\":\"ServerErrors\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"}]", directive.get("Metrics").toString());
        // every dimension and metric name resolves to a root member of the right type
        for (JsonNode set : directive.get("Dimensions")) {
            for (JsonNode d : set) {
                assertTrue(line.get(d.asText()).isTextual(), d.asText());
            }
        }
        for (JsonNode m : directive.get("Metrics")) {
            assertTrue(line.get(m.get("Name").asText()).isNumber(), m.toString());
        }
        assertEquals("telemetry-event-batch", line.get("Function").asText());
        assertEquals(48, line.get("Requests").asInt());
        assertEquals("POST /api/events/batch", line.get("Route").asText());
        assertEquals(12.5, line.get("Latency").asDouble());
    }

    @Test
    void withoutExtraDimensions_oneSet_andDisabledEmitsNothing() throws Exception {
        emf.emit(Emf.values(Emf.Metric.SessionsCreated, 1));
        assertEquals("[[\"Function\"]]", new ObjectMapper().readTree(lines.get(0)).at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        new Emf("N", "f", Clock.systemUTC(), null).emit(Emf.values(Emf.Metric.SessionsCreated, 1));
        assertEquals(1, lines.size());
    }
}
