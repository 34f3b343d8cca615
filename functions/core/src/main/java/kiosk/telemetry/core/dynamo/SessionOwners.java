package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.store.SessionItem;

/**
 * Who owns a session, for the functions that attach records to sessions (events, sales, metrics, errors):
 * a read-only, keys-and-owner look-up of the Sessions table by {@code BatchGetItem}. The session function's
 * {@code SessionsTable} is the table's writer.
 */
@ApplicationScoped
public class SessionOwners {

    private final DynamoDbClient dynamo;
    private final String table;

    public SessionOwners(DynamoDbClient dynamo, TelemetryConfig config) {
        this.dynamo = dynamo;
        this.table = config.tables().sessions();
    }

    /**
     * Whether {@code sessionId}, as a body gives it, names an existing session of another device than the caller.
     * A session that does not exist yet is not foreign (offline kiosks send records before their session); a
     * value that cannot be a session id names none.
     */
    public boolean isForeign(Device caller, String sessionId) {
        return find(sessionId).filter(s -> !s.deviceId().equals(caller.deviceId())).isPresent();
    }

    /** A stored session's owner and start. */
    public record Owned(String deviceId, Instant startedAt) {
    }

    /** The session {@code sessionId} names, as a body gives it, if it exists; a value that cannot be a session id names none. */
    public Optional<Owned> find(String sessionId) {
        if (sessionId == null || sessionId.length() != 36) {
            return Optional.empty();
        }
        var items = BatchReader.read(dynamo, table, SessionItem.SESSION_ID.name(), List.of(SessionItem.SESSION_ID.key(sessionId.toLowerCase(Locale.ROOT))));
        return items.stream().findFirst().map(it -> new Owned(SessionItem.DEVICE_ID.get(it), SessionItem.STARTED_AT.get(it)));
    }

    /** Owner device of each session that exists; sessions not (yet) created are absent from the map. */
    public Map<String, String> ownersOf(Collection<String> sessionIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : sessionIds) {
            keys.add(SessionItem.SESSION_ID.key(id));
        }
        Map<String, String> out = new HashMap<>();
        for (var item : BatchReader.read(dynamo, table, SessionItem.SESSION_ID.name(), keys)) {
            out.put(SessionItem.SESSION_ID.get(item), SessionItem.DEVICE_ID.get(item));
        }
        return out;
    }
}
