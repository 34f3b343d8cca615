package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.engines.EmbeddedDynamo;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TableDefinitions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Late-day marks on DynamoDB Local: a run clears a mark only when nothing was marked after it started. */
class DayMarksTableTest {

    private static EmbeddedDynamo engine;
    private static DynamoDbClient client;
    private static DayMarksTable marks;

    @BeforeAll
    static void start() {
        engine = EmbeddedDynamo.start(0, null);
        client = engine.client();
        var table = TableDefinitions.from(SamTemplate.fromClasspath(), "telemetry-").stream()
                .filter(t -> t.logicalId().equals("DayMarksTable")).toList();
        EmbeddedDynamo.createTables(client, table);
        marks = new DayMarksTable(client, table.get(0).defaultName());
    }

    @AfterAll
    static void stop() {
        client.close();
        engine.close();
    }

    @Test
    void aRecordMarkedAfterARunStarted_keepsTheDayLate_untilARunThatStartedAfterIt() {
        // GIVEN an aggregated day, marked late before a run started
        LocalDate day = LocalDate.parse("2025-01-10");
        Instant t0 = Instant.parse("2025-01-12T00:00:00Z");
        marks.markAggregationStarted(day, t0);
        marks.markLate(day, t0.plusSeconds(10), 1);

        // WHEN the same day is marked again (a resend) after the next run started, and that run ends
        Instant runStart = t0.plusSeconds(100);
        marks.markLate(day, runStart.plusSeconds(30), 1);
        marks.clearLate(day, runStart);

        // THEN the day stays late: that run may have read the day before the resent record was written
        assertTrue(marks.lateDays().contains(day));

        // AND a run that started after the last mark clears it
        marks.clearLate(day, runStart.plusSeconds(60));
        assertFalse(marks.lateDays().contains(day));
    }

    @Test
    void aDayNeverAggregated_isNeverMarked() {
        LocalDate day = LocalDate.parse("2025-01-11");
        marks.markLate(day, Instant.parse("2025-01-12T00:00:00Z"), 3);
        assertFalse(marks.lateDays().contains(day));
        assertFalse(marks.get(day).isPresent());
    }
}
