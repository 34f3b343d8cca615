package kiosk.telemetry.core.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiosk.telemetry.core.domain.SessionStatus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The figures the archive copies out of a summary into typed columns. */
class SummaryFiguresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sessionsStatusesRateAndNetPerCurrency_asTheSummaryHoldsThem() throws Exception {
        JsonNode summary = JSON.readTree("""
                {"sessions":{"total":7,"byStatus":{"started":1,"in_progress":0,"completed":3,"abandoned":2,"timeout":1,"error":0},
                 "conversionRate":0.428571,"avgDurationMs":0,"durationMsSum":0,"ended":6},
                 "sales":{"count":4,"byCurrency":{"USD":{"gross":"12.5","discount":"0.5","tax":"1","net":"11","margin":"0"},
                                                  "KRW":{"gross":"30000","discount":"1000.25","tax":"2636.34","net":"26363.41","margin":"0"}}}}
                """);
        SummaryFigures f = SummaryFigures.of(summary);
        assertEquals(7, f.sessions());
        assertEquals(Map.of(SessionStatus.started, 1L, SessionStatus.in_progress, 0L, SessionStatus.completed, 3L,
                SessionStatus.abandoned, 2L, SessionStatus.timeout, 1L, SessionStatus.error, 0L), f.byStatus());
        assertEquals(0.428571, f.conversionRate());
        assertEquals(Map.of("KRW", new BigDecimal("26363.41"), "USD", new BigDecimal("11")), f.net());
        assertEquals("[KRW, USD]", f.net().keySet().toString(), "currencies in order");
    }

    @Test
    void noSales_isAnEmptyMap_andABrokenCountIsRefused() throws Exception {
        JsonNode none = JSON.readTree("""
                {"sessions":{"total":0,"byStatus":{"started":0,"in_progress":0,"completed":0,"abandoned":0,"timeout":0,"error":0},
                 "conversionRate":0},"sales":{"count":0,"byCurrency":{}}}""");
        assertEquals(Map.of(), SummaryFigures.of(none).net());
        assertEquals(0.0, SummaryFigures.of(none).conversionRate());
        JsonNode broken = JSON.readTree("""
                {"sessions":{"total":1.5,"byStatus":{"started":0,"in_progress":0,"completed":0,"abandoned":0,"timeout":0,"error":0},
                 "conversionRate":0},"sales":{"byCurrency":{}}}""");
        assertThrows(IllegalArgumentException.class, () -> SummaryFigures.of(broken));
        JsonNode missing = JSON.readTree("{\"sessions\":{\"total\":1,\"conversionRate\":0}}");
        assertThrows(IllegalArgumentException.class, () -> SummaryFigures.of(missing), "a status count missing");
    }
}
