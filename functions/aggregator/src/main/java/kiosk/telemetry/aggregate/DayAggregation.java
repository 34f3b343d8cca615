package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.dynamo.Attr;
import kiosk.telemetry.core.dynamo.BatchReader;
import kiosk.telemetry.core.json.Json;
import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rolls one reporting day up into one summary per device: reads the day of every kind (sessions by
 * {@code startedAt}, the others by their own time), folds each record into its device's {@link DeviceDay},
 * checks that every record read was folded, and writes the summaries. Deterministic: a re-run of the same
 * records writes the same summaries but for {@code aggregatedAt}.
 * <p>
 * The records are read by the attribute names their tables store them under, which are the API's field names
 * (docs/architecture.md); the ingestion functions are those tables' only writers.
 */
public final class DayAggregation {

    /** What a day's run read and wrote, per kind. */
    public record DayResult(LocalDate date, int devices, Map<String, Long> records) {
    }

    public record Sources(DayReader.DaySource sessions, DayReader.DaySource sales, DayReader.DaySource performance,
                          DayReader.DaySource errors, DayReader.DaySource events, String devicesTable) {
    }

    private final DynamoDbClient dynamo;
    private final DayReader reader;
    private final Sources sources;
    private final DailySummariesTable summaries;

    public DayAggregation(DynamoDbClient dynamo, DayReader reader, Sources sources, DailySummariesTable summaries) {
        this.dynamo = dynamo;
        this.reader = reader;
        this.sources = sources;
        this.summaries = summaries;
    }

    public DayResult aggregate(LocalDate day, Instant now) {
        Map<String, DeviceDay> devices = new ConcurrentHashMap<>();
        Map<String, Long> read = new LinkedHashMap<>();
        read.put("sessions", reader.read(sources.sessions(), day, it -> device(devices, it).addSession(
                Attr.str(it, "status"), instant(it, "startedAt"), instant(it, "endedAt"), json(it, "funnel"), json(it, "behavior"))));
        read.put("sales", reader.read(sources.sales(), day, it -> device(devices, it).addSale(
                Attr.str(it, "currency"), Attr.str(it, "paymentMethod"), amounts(it))));
        read.put("performance", reader.read(sources.performance(), day, it -> device(devices, it).addMetric(
                Attr.str(it, "metricType"), Attr.num(it, "durationMs"), Attr.flag(it, "success"))));
        read.put("errors", reader.read(sources.errors(), day, it -> device(devices, it).addError(
                Attr.str(it, "severity"), Attr.str(it, "category"))));
        read.put("events", reader.read(sources.events(), day, it -> device(devices, it).addEvent(Attr.str(it, "eventType"))));

        verify(day, read, devices.values());
        Map<String, DeviceDay.Dimensions> dims = dimensions(new ArrayList<>(devices.keySet()));
        String aggregatedAt = Timestamps.format(now);
        for (DeviceDay d : new TreeMap<>(devices).values()) {
            ObjectNode summary = d.summary(day.toString(), dims.getOrDefault(d.deviceId(), DeviceDay.Dimensions.of(null, null, null)), aggregatedAt);
            summaries.put(summary);
        }
        return new DayResult(day, devices.size(), read);
    }

    /** Every record read must have been folded into exactly one device's day; a mismatch fails the run. */
    private static void verify(LocalDate day, Map<String, Long> read, Iterable<DeviceDay> devices) {
        Map<String, Long> folded = new HashMap<>();
        for (DeviceDay d : devices) {
            d.counts().forEach((k, v) -> folded.merge(k, v, Long::sum));
        }
        read.forEach((kind, n) -> {
            long f = folded.getOrDefault(kind, 0L);
            if (f != n) {
                throw new IllegalStateException("verification failed for " + day + " " + kind + ": read " + n + ", summarised " + f);
            }
        });
    }

    private static DeviceDay device(Map<String, DeviceDay> devices, Map<String, AttributeValue> item) {
        String id = Attr.str(item, "deviceId");
        return devices.computeIfAbsent(id == null ? "unknown" : id, DeviceDay::new);
    }

    private Map<String, DeviceDay.Dimensions> dimensions(List<String> deviceIds) {
        List<Map<String, AttributeValue>> keys = deviceIds.stream().map(id -> Map.of("deviceId", AttributeValue.fromS(id))).toList();
        Map<String, DeviceDay.Dimensions> out = new HashMap<>();
        for (var it : BatchReader.read(dynamo, sources.devicesTable(), "deviceId", keys)) {
            out.put(Attr.str(it, "deviceId"), DeviceDay.Dimensions.of(Attr.str(it, "storeId"), Attr.str(it, "groupId"), Attr.str(it, "countryCode")));
        }
        return out;
    }

    private static Map<String, BigDecimal> amounts(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String a : List.of("gross", "discount", "tax", "net", "margin")) {
            BigDecimal v = Attr.decimal(item, a);
            if (v != null) {
                out.put(a, v);
            }
        }
        return out;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Timestamps.parse(s);
    }

    private static JsonNode json(Map<String, AttributeValue> item, String name) {
        String s = Attr.str(item, name);
        return s == null ? null : Json.readStored(s);
    }
}
