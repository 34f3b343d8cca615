package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static kiosk.telemetry.events.Kiosk.batch;
import static kiosk.telemetry.events.Kiosk.event;
import static kiosk.telemetry.events.Kiosk.post;
import static kiosk.telemetry.events.Kiosk.sequenceNumbers;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The strict binding rules, seen through the batch route: items are bound one by one. */
@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class EventBatchBindingTest {

    @Inject
    DevicesTable devices;

    @Inject
    Clock clock;

    private String token;
    private String session;
    private Instant at;

    @BeforeEach
    void kiosk() {
        token = Kiosk.register(devices, Kiosk.newDeviceId());
        session = UUID.randomUUID().toString();
        at = clock.instant().minus(10, ChronoUnit.MINUTES);
    }

    private List<ObjectNode> fiveEvents() {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(event(session, i, at.plusMillis(i)));
        }
        return items;
    }

    @Test
    void badItem_isRejectedWithItsIndexAndFieldPath_theGoodItemsAreStored() {
        // GIVEN five events, the fourth (index 3) with a timestamp that is not ISO-8601
        List<ObjectNode> items = fiveEvents();
        items.get(3).put("timestamp", "yesterday");
        // WHEN posted, THEN the four good ones are stored and item 3 is named with its field
        post(token, batch(items)).then().statusCode(200)
                .body("accepted", equalTo(4)).body("duplicates", equalTo(0))
                .body("rejected[0].index", equalTo(3))
                .body("rejected[0].errors[0].field", equalTo("timestamp"))
                .body("rejected[0].errors[0].message", equalTo("must be an ISO-8601 timestamp with an offset or Z"));
        assertEquals(List.of(0, 1, 2, 4), sequenceNumbers(session));
    }

    @Test
    void aStringForANumber_isRejected_noCoercion() {
        List<ObjectNode> items = fiveEvents();
        items.get(1).put("sequenceNo", "1");
        Response r = post(token, batch(items));
        r.then().statusCode(200).body("accepted", equalTo(4))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].field", equalTo("sequenceNo"))
                .body("rejected[0].errors[0].message", equalTo("must be an integer"));
    }

    @Test
    void unknownFields_areIgnored() {
        List<ObjectNode> items = fiveEvents();
        items.get(0).put("kioskMood", "cheerful").putObject("extra").put("n", 1);
        post(token, batch(items)).then().statusCode(200).body("accepted", equalTo(5));
    }

    @Test
    void duplicateKeys_are400WithTheReason_nothingStored() {
        String body = batch(fiveEvents());
        String twice = body.substring(0, body.length() - 1) + ",\"events\":[]}";
        post(token, twice).then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("malformed JSON: Duplicate field 'events'"));
        assertEquals(List.of(), sequenceNumbers(session));
    }

    @Test
    void emptyBody_is400() {
        post(token, "").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request body is empty; a JSON object is required"));
    }
}
