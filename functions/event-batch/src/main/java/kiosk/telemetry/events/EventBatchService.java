package kiosk.telemetry.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.batch.BatchIngest;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.page.Page;
import kiosk.telemetry.core.time.ReportingCalendar;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Event batches through the shared {@link BatchIngest} steps, and the event lists. Events may arrive before
 * their session: they are linked by {@code sessionId} alone and attributed to the device that sent them.
 */
@ApplicationScoped
public class EventBatchService {

    private final EventsTable events;
    private final BatchIngest batches;
    private final ReportingCalendar calendar;
    private final Clock clock;
    private final TelemetryConfig config;

    public EventBatchService(EventsTable events, BatchIngest batches, ReportingCalendar calendar, Clock clock, TelemetryConfig config) {
        this.events = events;
        this.batches = batches;
        this.calendar = calendar;
        this.clock = clock;
        this.config = config;
    }

    public BatchResult ingest(Device caller, ObjectNode body) {
        return batches.ingest(caller, body, "events", new BatchIngest.Kind<EventRequest, Event>() {
            @Override
            public Class<EventRequest> itemType() {
                return EventRequest.class;
            }

            @Override
            public Event from(EventRequest item, Instant now) {
                return item.toEvent(caller, now);
            }

            @Override
            public String sessionId(Event e) {
                return e.sessionId();
            }

            @Override
            public String key(Event e) {
                return e.key();
            }

            @Override
            public Instant time(Event e) {
                return e.timestamp();
            }

            @Override
            public void beforeWriting(List<Event> items) {
                events.beforeWriting(items);
            }

            @Override
            public boolean putIfAbsent(Event e) {
                return events.putItemIfAbsent(e);
            }
        });
    }

    public Page<EventView> list(ListQuery q) {
        var days = q.days(calendar, clock.instant(), config.limits());
        var page = events.list(q.filter("deviceId"), q.filter("eventType"), q.from(), q.to(), days, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(EventsTable::view).toList(), page.nextCursor());
    }

    public Page<EventView> ofSession(String sessionId, ListQuery q) {
        String id = sessionId.toLowerCase(Locale.ROOT);
        var page = events.ofSession(id, q.limit(), q.cursor(), q.scope());
        return new Page<>(page.items().stream().map(EventsTable::view).toList(), page.nextCursor());
    }
}
