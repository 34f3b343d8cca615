package kiosk.telemetry.errors;

import kiosk.telemetry.core.store.ErrorGroupItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.error.ProblemMapper;
import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.engines.DynamoFaults;
import kiosk.telemetry.engines.TelemetryEnginesTestResource;
import kiosk.telemetry.engines.TestClock;
import kiosk.telemetry.testing.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A fleet-wide incident and the failures around it, on DynamoDB Local with DynamoDB's transaction conflicts
 * ({@link ConflictingDynamo}; DynamoDB Local alone queues conflicting transactions instead of cancelling them). Concurrent
 * kiosks call the service from their own threads, as concurrent Lambda instances would: the test's mock Lambda
 * event server hands the function one request at a time. Their answers are the status the resource and the problem
 * mapper give (201, 200, the refusal's, 503 for a storage fault); operators read groups over HTTP.
 */
@QuarkusTest
@TestProfile(ErrorIncidentTest.WithDynamoFaults.class)
@QuarkusTestResource(TelemetryEnginesTestResource.class)
class ErrorIncidentTest {

    public static class WithDynamoFaults implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ConflictingDynamo.class);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "test-admin-token";
    private static final String MESSAGE = "Printer jam at tray 2";
    private static final String STACK = "PrinterException: jam\n\tat kiosk.print.Tray.feed(Tray.java:42)";

    @Inject
    ErrorService service;

    @Inject
    Binder binder;

    @Inject
    DevicesTable devices;

    @Inject
    DynamoFaults faults;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TelemetryConfig config;

    @Inject
    TestClock clock;

    @Test
    void hundredKiosksReportOneFingerprintAtOnce_allAnswered201AtTheFirstTry_andTheGroupCountsEachOnce() throws Exception {
        String code = code();
        List<Device> kiosks = new ArrayList<>();
        List<ObjectNode> reports = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            kiosks.add(kiosk());
            reports.add(error(code, clock.instant().minusSeconds(60).plusMillis(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(kiosks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < kiosks.size(); i++) {
                Device kiosk = kiosks.get(i);
                ObjectNode report = reports.get(i);
                answers.add(pool.submit(() -> {
                    go.await();
                    return status(kiosk, report);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) {
                statuses.add(a.get());
            }
            assertEquals(Collections.nCopies(kiosks.size(), 201), statuses);
        } finally {
            pool.shutdownNow();
        }
        ObjectNode g = group(fingerprint(code));
        assertEquals(100L, g.get("count").asLong());
        assertEquals(100L, g.get("devices").asLong());
    }

    /** A report whose first attempt fails at one write answers 503; the same report sent again completes the group. */
    @ParameterizedTest
    @ValueSource(strings = {"the error and its count", "the group", "the device's membership"})
    void aReportThatFailedBetweenItsWrites_isCompletedByResendingIt_andCountedOnce(String failingWrite) {
        Device kiosk = kiosk();
        String code = code();
        Instant at = clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        ObjectNode report = error(code, at);
        faults.failOnce(switch (failingWrite) {
            case "the error and its count" -> item -> item.table().equals(config.tables().errors());
            case "the group" -> member(m -> m.equals("group"));
            default -> member(m -> m.startsWith("device#"));
        });

        assertEquals(503, status(kiosk, report));
        String fp = fingerprint(code);
        if (failingWrite.equals("the group")) {
            assertNull(findGroup(fp), "no group before the resend");
        } else if (failingWrite.equals("the device's membership")) {
            assertEquals(0L, group(fp).get("devices").asLong(), "the error is counted, its device not yet");
        }

        assertEquals(failingWrite.equals("the error and its count") ? 201 : 200, status(kiosk, report));
        assertEquals(200, status(kiosk, report));
        ObjectNode g = group(fp);
        assertEquals(1L, g.get("count").asLong());
        assertEquals(1L, g.get("devices").asLong());
        assertEquals(report.get("errorId").asText(), g.get("sampleErrorId").asText());
        assertEquals(Timestamps.format(at), g.get("firstSeen").asText());
        assertEquals(Timestamps.format(at), g.get("lastSeen").asText());
        assertEquals("open", g.get("status").asText());
    }

    @Test
    void aGroupWrittenBeforeCounterEntries_keepsItsCounts_andAddsNewOnes() {
        Device kiosk = kiosk();
        String code = code();
        ObjectNode first = error(code, clock.instant().minusSeconds(90));
        assertEquals(201, status(kiosk, first));
        String fp = fingerprint(code);
        // the counts a group entry carried itself before they moved to counter entries
        dynamo.updateItem(b -> b.tableName(config.tables().errorGroups())
                .key(ErrorGroupItem.FINGERPRINT.key(fp, ErrorGroupItem.MEMBER, ErrorGroupItem.GROUP_MEMBER))
                .updateExpression("ADD #n :n, #d :d")
                .expressionAttributeNames(Map.of("#n", ErrorGroupItem.COUNT.name(), "#d", ErrorGroupItem.DEVICES.name()))
                .expressionAttributeValues(Map.of(":n", ErrorGroupItem.COUNT.value(40L), ":d", ErrorGroupItem.DEVICES.value(7L))));

        assertEquals(201, status(kiosk(), error(code, clock.instant().minusSeconds(80))));
        ObjectNode g = group(fp);
        assertEquals(42L, g.get("count").asLong());
        assertEquals(9L, g.get("devices").asLong());
        operator("PATCH", "/api/errors/groups/" + fp + "/resolve", "{\"resolvedBy\":\"ops-kim\"}").then().statusCode(200)
                .body("count", equalTo(42)).body("devices", equalTo(9)).body("status", equalTo("resolved"));
    }

    @Test
    void anOlderErrorReceivedAfterTheResolution_regressesTheGroup_andMovesFirstSeenBack() {
        Device kiosk = kiosk();
        String code = code();
        Instant newer = clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        Instant older = newer.minusSeconds(600);
        ObjectNode first = error(code, newer);
        assertEquals(201, status(kiosk, first));
        String fp = fingerprint(code);
        operator("PATCH", "/api/errors/groups/" + fp + "/resolve", "{\"resolvedBy\":\"ops-kim\"}").then().statusCode(200);

        clock.advance(Duration.ofSeconds(1)); // the older error is received after the resolution
        assertEquals(201, status(kiosk, error(code, older)));
        ObjectNode g = group(fp);
        assertEquals("regressed", g.get("status").asText());
        assertEquals(Timestamps.format(older), g.get("firstSeen").asText());
        assertEquals(Timestamps.format(newer), g.get("lastSeen").asText());
        assertEquals(2L, g.get("count").asLong());
        assertEquals(1L, g.get("devices").asLong());
    }

    private Predicate<DynamoFaults.ItemRef> member(Predicate<String> member) {
        return item -> item.table().equals(config.tables().errorGroups()) && member.test(item.key().get(ErrorGroupItem.MEMBER.name()));
    }

    /** The status the function answers the kiosk's POST /api/errors with. */
    private int status(Device kiosk, ObjectNode report) {
        try {
            return Answers.recorded(service.report(kiosk, binder.bind(report.deepCopy(), ErrorRequest.class))).getStatus();
        } catch (Refusal e) {
            return ProblemMapper.answer(e).status();
        } catch (SdkException e) {
            return 503;
        }
    }

    private static String fingerprint(String code) {
        return Fingerprints.of("hardware", code, MESSAGE, STACK);
    }

    private Device kiosk() {
        String id = "incident-" + UUID.randomUUID().toString().substring(0, 12);
        return Registry.registered(devices, id, "store-e", null, "KR", clock.instant());
    }

    private static String code() {
        return "PRINTER_JAM_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static ObjectNode error(String code, Instant at) {
        return MAPPER.createObjectNode().put("errorId", UUID.randomUUID().toString())
                .put("sessionId", UUID.randomUUID().toString()).put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("severity", "error").put("category", "hardware").put("code", code).put("message", MESSAGE).put("stack", STACK);
    }

    private Response operator(String method, String path, String body) {
        var req = given().header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            req = req.contentType("application/json").body(body);
        }
        return req.request(method, path);
    }

    private ObjectNode findGroup(String fingerprint) {
        String from = clock.instant().minus(1, ChronoUnit.HOURS).toString();
        Response r = operator("GET", "/api/errors/groups?from=" + from + "&limit=500", null);
        r.then().statusCode(200);
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        return items.stream().filter(i -> fingerprint.equals(i.get("fingerprint"))).findFirst()
                .map(i -> (ObjectNode) MAPPER.valueToTree(i)).orElse(null);
    }

    private ObjectNode group(String fingerprint) {
        ObjectNode g = findGroup(fingerprint);
        if (g == null) {
            throw new AssertionError("no group " + fingerprint);
        }
        return g;
    }
}
