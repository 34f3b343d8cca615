package kiosk.telemetry.events;

import kiosk.telemetry.core.store.EventItem;
import kiosk.telemetry.core.store.SessionDayItem;
import kiosk.telemetry.core.store.SessionItem;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static kiosk.telemetry.events.Kiosk.batch;
import static kiosk.telemetry.events.Kiosk.event;
import static kiosk.telemetry.events.Kiosk.events;
import static kiosk.telemetry.events.Kiosk.operatorGet;
import static kiosk.telemetry.events.Kiosk.post;
import static kiosk.telemetry.events.Kiosk.sequenceNumbers;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class EventBatchResourceTest {

    @Inject
    DayMarksTable dayMarks;

    @Inject
    kiosk.telemetry.core.dynamo.DevicesTable devices;

    @Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;

    @Inject
    kiosk.telemetry.core.config.TelemetryConfig config;

    @Inject
    ReportingCalendar calendar;

    @Inject
    TestClock clock;

    private String deviceId;
    private String token;
    private String session;

    @BeforeEach
    void kiosk() {
        deviceId = Kiosk.newDeviceId();
        token = Kiosk.register(devices, deviceId);
        session = UUID.randomUUID().toString();
    }

    @Test
    void fiftyEvents_thenTheSameFiftyAgain_areAllDuplicates() {
        String body = batch(events(session, 0, 50));
        post(token, body).then().statusCode(200)
                .body("accepted", equalTo(50)).body("duplicates", equalTo(0)).body("rejected", hasSize(0));
        post(token, body).then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(50));
        assertEquals(IntStream.range(0, 50).boxed().toList(), sequenceNumbers(session));
    }

    @Test
    void eachRejectionReason_isReportedWithItsIndexAndField_andValidItemsAreStored() {
        Instant now = clock.instant();
        List<ObjectNode> items = new ArrayList<>();
        items.add(event(session, 0, now));                                                         // 0 ok
        ObjectNode noSession = event(session, 1, now);
        noSession.remove("sessionId");
        items.add(noSession);                                                                      // 1 sessionId
        items.add(event("not-a-uuid", 2, now));                                                    // 2 sessionId
        items.add(event(session, -1, now));                                                        // 3 sequenceNo
        items.add(event(session, 4, now).put("sequenceNo", "4"));                                  // 4 sequenceNo
        items.add(event(session, 5, now).put("eventType", "Tap!"));                                // 5 eventType
        items.add(event(session, 6, now.minus(31, ChronoUnit.DAYS)));                              // 6 timestamp
        items.add(event(session, 7, now.plus(10, ChronoUnit.MINUTES)));                            // 7 timestamp
        items.add(event(session, 8, now).put("eventType", "scroll"));                              // 8 properties.scrollDepth
        ObjectNode deep = event(session, 9, now).put("eventType", "scroll");
        ((ObjectNode) deep.get("properties")).put("scrollDepth", 150);
        items.add(deep);                                                                           // 9 properties.scrollDepth
        ObjectNode big = event(session, 10, now);
        ((ObjectNode) big.get("properties")).put("blob", "x".repeat(8200));
        items.add(big);                                                                            // 10 properties
        ObjectNode okScroll = event(session, 11, now).put("eventType", "scroll");
        ((ObjectNode) okScroll.get("properties")).put("scrollDepth", 100);
        items.add(okScroll);                                                                       // 11 ok
        items.add(event(session, 12, now).put("eventType", "custom_sticker_added"));               // 12 ok, custom

        Response r = post(token, batch(items));
        r.then().statusCode(200).body("accepted", equalTo(3)).body("duplicates", equalTo(0));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), r.jsonPath().getList("rejected.index", Integer.class));
        List<String> fields = r.jsonPath().getList("rejected.collect { it.errors[0].field }", String.class);
        assertEquals(List.of("sessionId", "sessionId", "sequenceNo", "sequenceNo", "eventType", "timestamp", "timestamp",
                "properties.scrollDepth", "properties.scrollDepth", "properties"), fields);
        assertEquals(List.of(0, 11, 12), sequenceNumbers(session));
    }

    @Test
    void everyItemRejected_is400ProblemWithTheRejectedList() {
        Instant now = clock.instant();
        post(token, batch(List.of(event(session, 0, now).put("eventType", "BAD"), event("x", 1, now))))
                .then().statusCode(400).contentType("application/problem+json")
                .body("rejected.index", equalTo(List.of(0, 1)))
                .body("rejected[0].errors[0].field", equalTo("eventType"));
        assertEquals(List.of(), sequenceNumbers(session));
    }

    @Test
    void batchShape_501Items_emptyOrMissingList_areRejectedWhole() {
        post(token, batch(events(session, 0, 501))).then().statusCode(400).body("errors[0].field", equalTo("events"));
        post(token, batch(List.of())).then().statusCode(400).body("errors[0].field", equalTo("events"));
        post(token, "{\"events\":{}}").then().statusCode(400).body("errors[0].field", equalTo("events"));
        post(token, batch(List.of(Kiosk.MAPPER.createObjectNode()))).then().statusCode(400);
        assertEquals(List.of(), sequenceNumbers(session));
    }

    @Test
    void bodyOver1MiB_is413_andNothingIsStored() {
        List<ObjectNode> items = events(session, 0, 200);
        items.forEach(e -> ((ObjectNode) e.get("properties")).put("pad", "y".repeat(6000)));
        post(token, batch(items)).then().statusCode(413).contentType("application/problem+json");
        assertEquals(List.of(), sequenceNumbers(session));
    }

    @Test
    void aNumberBeyondADoubleInProperties_isRejectedForThatItem_andTheListStaysReadable() {
        // GIVEN one event with 1e99999 in its properties and one with a large but finite number
        Instant now = clock.instant();
        ObjectNode huge = event(session, 0, now);
        ((ObjectNode) huge.get("properties")).put("x", "HUGE");
        ObjectNode large = event(session, 1, now);
        ((ObjectNode) large.get("properties")).put("x", "LARGE");
        String body = batch(List.of(huge, large)).replace("\"HUGE\"", "1e99999").replace("\"LARGE\"", "1.5e300");

        // WHEN they are posted, THEN the first is refused with its field, the second is stored
        Response r = post(token, body);
        r.then().statusCode(200).body("accepted", equalTo(1)).body("rejected[0].index", equalTo(0))
                .body("rejected[0].errors[0].field", equalTo("properties.x"));

        // AND the list answers, with the stored number exactly as sent
        Response list = operatorGet("/api/events?deviceId=" + deviceId);
        list.then().statusCode(200).body("items", hasSize(1));
        assertTrue(list.asString().contains("\"x\":15" + "0".repeat(299) + ","), list.asString());
    }

    /** Through the handler as API Gateway delivers a body it passes as bytes (base64): the mock HTTP front would decode it. */
    @Test
    void aBodyThatIsNotWellFormedUtf8_is400WithTheReason_andNothingIsStored() {
        byte[] good = batch(List.of(event(session, 0, clock.instant()))).getBytes(StandardCharsets.UTF_8);
        String frame = "frame-3";
        int at = new String(good, StandardCharsets.UTF_8).indexOf(frame);
        for (byte[] bad : List.of(new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            byte[] body = new byte[good.length - frame.length() + bad.length];
            System.arraycopy(good, 0, body, 0, at);
            System.arraycopy(bad, 0, body, at, bad.length);
            System.arraycopy(good, at + frame.length(), body, at + bad.length, good.length - at - frame.length());
            Kiosk.rawPost("/api/events/batch", token, body).then().statusCode(400)
                    .body("detail", equalTo("request body is not valid UTF-8: malformed byte sequence at byte offset " + at));
        }
        assertEquals(List.of(), sequenceNumbers(session));
    }

    @Test
    void sameKeyTwiceInOneBatch_isOneEventAndOneDuplicate_firstWins() {
        Instant now = clock.instant();
        ObjectNode first = event(session, 3, now).put("eventType", "tap");
        ObjectNode second = event(session, 3, now).put("eventType", "back");
        post(token, batch(List.of(first, second))).then().statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        operatorGet("/api/events/session/" + session).then().body("items[0].eventType", equalTo("tap"));
    }

    @Test
    void sameBatchThreeTimesConcurrently_plusAnOverlap_storesEachEventOnce_andAcceptedAddsUp() throws Exception {
        String batchA = batch(events(session, 0, 100));
        String overlap = batch(events(session, 50, 100)); // 50..149
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Response>> calls = List.of(() -> post(token, batchA), () -> post(token, batchA),
                    () -> post(token, batchA), () -> post(token, overlap));
            int accepted = 0;
            int duplicates = 0;
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                r.then().statusCode(200);
                accepted += r.jsonPath().getInt("accepted");
                duplicates += r.jsonPath().getInt("duplicates");
            }
            assertEquals(150, accepted, "accepted over all responses = distinct events");
            assertEquals(400 - 150, duplicates);
            assertEquals(IntStream.range(0, 150).boxed().toList(), sequenceNumbers(session));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eventForAnotherDevicesSession_isRejectedForThatItemOnly_eventsBeforeTheirSessionAreAccepted() {
        // GIVEN a session that another kiosk opened (written as the session function stores it)
        String foreign = UUID.randomUUID().toString();
        dynamo.putItem(b -> b.tableName(config.tables().sessions()).item(java.util.Map.of(
                SessionItem.SESSION_ID.name(), SessionItem.SESSION_ID.value(foreign),
                SessionItem.DEVICE_ID.name(), SessionItem.DEVICE_ID.value("another-kiosk"))));

        Instant now = clock.instant();
        post(token, batch(List.of(event(foreign, 1, now), event(session, 1, now)))).then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(0))
                .body("rejected[0].errors[0].field", equalTo("sessionId"));
        assertEquals(List.of(), sequenceNumbers(foreign));
        assertEquals(List.of(1), sequenceNumbers(session), "accepted though its session does not exist yet");
    }

    @Test
    void lists_byDeviceAndType_withCursor_andASessionWithoutEvents_isEmpty() {
        List<ObjectNode> items = events(session, 0, 12);
        for (int i = 0; i < items.size(); i += 3) {
            items.get(i).put("eventType", "back");
        }
        post(token, batch(items)).then().statusCode(200).body("accepted", equalTo(12));

        List<Integer> backs = new ArrayList<>();
        String cursor = null;
        do {
            Response r = operatorGet("/api/events?deviceId=" + deviceId + "&eventType=back&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            r.then().statusCode(200);
            backs.addAll(r.jsonPath().getList("items.sequenceNo", Integer.class));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(9, 6, 3, 0), backs, "newest first");

        operatorGet("/api/events/session/" + UUID.randomUUID()).then().statusCode(200)
                .body("items", hasSize(0)).body("nextCursor", equalTo(null));
        given().header("Authorization", "Bearer " + token).get("/api/events").then().statusCode(403);
    }

    @Test
    void eventOfAnAlreadyAggregatedDay_marksTheDay_eventsOfToday_markNothing() {
        // GIVEN a past day the aggregator already rolled up
        Instant now = clock.instant();
        Instant pastInstant = now.minus(3, ChronoUnit.DAYS);
        LocalDate past = calendar.dayOf(pastInstant);
        dayMarks.markAggregationStarted(past, now.minus(2, ChronoUnit.DAYS));
        LocalDate today = calendar.dayOf(now);

        // WHEN a late event of that day and one of today arrive
        post(token, batch(List.of(event(session, 0, pastInstant), event(session, 1, now)))).then().statusCode(200)
                .body("accepted", equalTo(2));

        // THEN the past day is marked late, today has no mark at all
        var mark = dayMarks.get(past).orElseThrow();
        assertNotNull(mark.lateSince());
        assertTrue(mark.lateWrites() >= 1);
        assertFalse(dayMarks.get(today).isPresent());
    }

    @Test
    void anEventIsOneItem_andItsSessionsDayIsOneDirectoryEntry_evenWhenTheBatchIsSentAgain() {
        // GIVEN a session's 40 events, the second half dated the day before (a batch across midnight)
        LocalDate today = calendar.dayOf(clock.instant().minus(10, ChronoUnit.MINUTES));
        Instant yesterday = calendar.startOf(today).minus(1, ChronoUnit.HOURS);
        List<ObjectNode> items = new ArrayList<>(events(session, 0, 20));
        for (int i = 20; i < 40; i++) {
            items.add(event(session, i, yesterday.plusSeconds(i)));
        }
        String body = batch(items);

        // WHEN it is sent, and sent again
        post(token, body).then().statusCode(200).body("accepted", equalTo(40));
        List<Map<String, AttributeValue>> entries = directoryOf(session);
        post(token, body).then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(40));

        // THEN every event is stored once, with none of the old indexes' keys (so it costs them nothing)
        var stored = dynamo.query(q -> q.tableName(config.tables().events()).consistentRead(true)
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", EventItem.SESSION_ID.name()))
                .expressionAttributeValues(Map.of(":s", EventItem.SESSION_ID.value(session)))).items();
        assertEquals(40, stored.size());
        assertTrue(stored.stream().noneMatch(it -> it.containsKey(EventItem.LEGACY_DAY_SHARD.name()) || it.containsKey(EventItem.LEGACY_TS.name())),
                "new events carry neither dayShard nor ts");
        // AND the directory has one entry per day of the session, from this kiosk, in the session's one day shard,
        // unchanged by the resend
        assertEquals(List.of(today.minusDays(1) + "#" + deviceId, today + "#" + deviceId),
                entries.stream().map(SessionDayItem.DAY_DEVICE::get).sorted().toList());
        for (var e : entries) {
            LocalDate day = SessionDayItem.DAY.get(e);
            assertEquals(SessionDayItem.dayShard(day, session, config.shards().events()), SessionDayItem.DAY_SHARD.get(e));
        }
        assertEquals(entries, directoryOf(session), "a resent batch adds or changes no entry");
    }

    private List<Map<String, AttributeValue>> directoryOf(String sessionId) {
        return dynamo.query(q -> q.tableName(config.tables().eventSessionDays()).consistentRead(true)
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", SessionDayItem.SESSION_ID.name()))
                .expressionAttributeValues(Map.of(":s", SessionDayItem.SESSION_ID.value(sessionId))))
                .items();
    }
}
