package kiosk.telemetry.core.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import kiosk.telemetry.core.config.TelemetryConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.error.ApiException;
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
     * Authorisation for a single record that names a session: when the body's {@code sessionId} is a session of
     * another device, 403. Checked before the body is validated (the contract's order); a session that does not
     * exist yet is allowed (offline kiosks send records before their session).
     */
    public void requireOwnSession(Device caller, JsonNode body) {
        var sid = body.get("sessionId");
        if (sid == null || !sid.isTextual() || sid.textValue().length() != 36) {
            return;
        }
        String id = sid.textValue().toLowerCase(Locale.ROOT);
        String owner = ownersOf(List.of(id)).get(id);
        if (owner != null && !owner.equals(caller.deviceId())) {
            throw ApiException.forbidden("session " + id + " belongs to another device");
        }
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
