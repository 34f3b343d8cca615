package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.error.FieldError;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.InputRules;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Batch ingest: every item validated on its own, items for another device's session rejected, repeated keys
 * within the batch counted as duplicates, the rest written with one conditional put each, concurrently.
 * Events may arrive before their session: they are linked by {@code sessionId} alone and attributed to the
 * device that sent them.
 */
@ApplicationScoped
public class EventBatchService {

    private final EventsTable events;
    private final SessionOwners owners;
    private final ConditionalBatchWriter writer;
    private final LateDataMarks lateMarks;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;

    public EventBatchService(EventsTable events, SessionOwners owners, ConditionalBatchWriter writer, LateDataMarks lateMarks,
                             ReportingCalendar calendar, Clock clock, TelemetryConfig config) {
        this.events = events;
        this.owners = owners;
        this.writer = writer;
        this.lateMarks = lateMarks;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public BatchResult ingest(Device caller, ObjectNode body) {
        JsonNode list = body.get("events");
        int max = config.limits().maxBatchItems();
        if (list == null || !list.isArray()) {
            throw ApiException.invalidField("events", "is required: an array of events");
        }
        if (list.isEmpty()) {
            throw ApiException.invalidField("events", "must not be empty");
        }
        if (list.size() > max) {
            throw ApiException.invalidField("events", "must have at most " + max + " items, has " + list.size());
        }
        Instant now = clock.instant();
        var l = config.limits();
        InputRules rules = new InputRules(now, l.maxFutureSkew(), l.maxPastAge(), l.maxStringBytes(), l.maxObjectBytes());

        // 1. each item on its own
        List<BatchResult.Rejection> rejected = new ArrayList<>();
        Map<Integer, EventInput.Item> valid = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            FieldReader r = FieldReader.item(list.get(i), rules);
            EventInput.Item item = r.valid() ? EventInput.read(r) : null;
            if (item == null) {
                rejected.add(new BatchResult.Rejection(i, r.errors()));
            } else {
                valid.put(i, item);
            }
        }

        // 2. sessions of another device
        Set<String> sessionIds = new LinkedHashSet<>();
        valid.values().forEach(v -> sessionIds.add(v.sessionId()));
        Map<String, String> ownerOf = sessionIds.isEmpty() ? Map.of() : owners.ownersOf(sessionIds);

        // 3. duplicates inside the batch, then the writes
        List<Event> toWrite = new ArrayList<>();
        List<Integer> writeIndex = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < list.size(); i++) {
            EventInput.Item v = valid.get(i);
            if (v == null) {
                continue;
            }
            String owner = ownerOf.get(v.sessionId());
            if (owner != null && !owner.equals(caller.deviceId())) {
                rejected.add(new BatchResult.Rejection(i, List.of(new FieldError("sessionId", "belongs to another device"))));
                continue;
            }
            Event e = new Event(v.sessionId(), v.sequenceNo(), caller.deviceId(), caller.storeId(), caller.groupId(),
                    caller.countryCode(), v.eventType(), v.timestamp(), v.screen(), v.properties(), now);
            if (!keys.add(e.key())) {
                duplicates++;
                continue;
            }
            toWrite.add(e);
            writeIndex.add(i);
        }
        var outcomes = writer.writeAll(toWrite, events::putIfAbsent);

        int accepted = 0;
        List<Integer> retry = new ArrayList<>();
        Map<LocalDate, Integer> newPerDay = new HashMap<>();
        for (int k = 0; k < outcomes.size(); k++) {
            switch (outcomes.get(k)) {
                case CREATED -> {
                    accepted++;
                    newPerDay.merge(calendar.dayOf(toWrite.get(k).timestamp()), 1, Integer::sum);
                }
                case DUPLICATE -> duplicates++;
                case RETRY -> retry.add(writeIndex.get(k));
            }
        }
        lateMarks.recordsWritten(newPerDay);
        rejected.sort(Comparator.comparingInt(BatchResult.Rejection::index));
        return new BatchResult(accepted, duplicates, rejected, retry).orThrow(list.size());
    }

    public Page<EventView> list(ListQuery q) {
        Instant now = clock.instant();
        Instant to = q.to() != null ? q.to() : now.plus(config.limits().maxFutureSkew()).plusMillis(1);
        var days = calendar.daysNewestFirst(q.from(), to, now.minus(config.limits().defaultListLookback()));
        var page = events.list(q.filter("deviceId"), q.filter("eventType"), q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(EventsTable::view).toList(), page.nextCursor());
    }

    public Page<EventView> ofSession(String sessionId, ListQuery q) {
        String id = sessionId.toLowerCase(java.util.Locale.ROOT);
        var page = events.ofSession(id, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(EventsTable::view).toList(), page.nextCursor());
    }
}
