package kiosk.telemetry.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.FunnelStage;
import kiosk.telemetry.core.domain.SessionStatus;
import kiosk.telemetry.core.json.FieldReader;
import kiosk.telemetry.core.json.Timestamps;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns session request bodies into validated values, every field error collected with its path. Nested
 * objects are stored normalised: only the contract's fields, in the contract's types.
 */
final class SessionInput {

    static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final int MAX_STAGES = 64;
    private static final int MAX_SCREEN_ENTRIES = 64;
    private static final long MAX_COUNT = FieldReader.MAX_SAFE_INTEGER;

    record NewSession(String sessionId, String deviceId, String storeId, String groupId, String countryCode,
                      Instant startedAt, String appVersion, JsonNode experiments) {
    }

    private SessionInput() {
    }

    static NewSession create(FieldReader r) {
        NewSession s = new NewSession(
                r.uuid("sessionId", true),
                r.matching("deviceId", false, DEVICE_ID, "1-64 letters, digits, '.', '_' or '-'"),
                r.nonEmpty("storeId", r.rules().maxStringBytes()),
                r.nonEmpty("groupId", r.rules().maxStringBytes()),
                r.matching("countryCode", false, COUNTRY, "an ISO 3166-1 alpha-2 code in upper case"),
                r.timestamp("startedAt", true),
                r.string("appVersion", false),
                r.freeObject("experiments", false));
        r.throwIfInvalid();
        return s;
    }

    static SessionPatch patch(FieldReader r) {
        Long seq = r.integer("seq", true, 1, MAX_COUNT);
        String status = null;
        if (r.has("status")) {
            status = r.oneOf("status", true, SessionStatus.NAMES);
        }
        var endedAt = change(r, "endedAt", f -> r.timestamp(f, true));
        var exitReason = change(r, "exitReason", f -> r.string(f, true));
        var funnel = change(r, "funnel", f -> funnel(r.object(f, true)));
        var behavior = change(r, "behavior", f -> behavior(r.object(f, true)));
        r.throwIfInvalid();
        return new SessionPatch(seq, status, endedAt, exitReason, funnel, behavior);
    }

    private static <T> SessionPatch.Change<T> change(FieldReader r, String field, Function<String, T> read) {
        if (!r.has(field)) {
            return SessionPatch.Change.absent();
        }
        if (r.isNull(field)) {
            return SessionPatch.Change.cleared();
        }
        T v = read.apply(field);
        return v == null ? SessionPatch.Change.absent() : SessionPatch.Change.to(v);
    }

    private static JsonNode funnel(FieldReader f) {
        if (f == null) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        List<FieldReader> stages = f.array("stages", false, MAX_STAGES);
        if (stages != null) {
            var arr = out.putArray("stages");
            for (FieldReader s : stages) {
                String stage = s.oneOf("stage", true, FunnelStage.NAMES);
                Instant entered = s.timestamp("enteredAt", false);
                Instant exited = s.timestamp("exitedAt", false);
                if (entered != null && exited != null && exited.isBefore(entered)) {
                    s.reject("exitedAt", "must not be before enteredAt");
                }
                ObjectNode o = arr.addObject();
                o.put("stage", stage);
                if (entered != null) {
                    o.put("enteredAt", Timestamps.format(entered));
                }
                if (exited != null) {
                    o.put("exitedAt", Timestamps.format(exited));
                }
            }
        }
        if (f.has("exitStage")) {
            if (f.isNull("exitStage")) {
                out.putNull("exitStage");
            } else {
                out.put("exitStage", f.oneOf("exitStage", true, FunnelStage.NAMES));
            }
        }
        return out;
    }

    private static JsonNode behavior(FieldReader b) {
        if (b == null) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String counter : List.of("totalTaps", "totalScrolls", "selectionChanges")) {
            Long n = b.integer(counter, false, 0, MAX_COUNT);
            if (n != null) {
                out.put(counter, n);
            }
        }
        Map<String, Long> durations = b.integerMap("screenDurationsMs", false, 0, MAX_COUNT, MAX_SCREEN_ENTRIES);
        if (durations != null) {
            ObjectNode d = out.putObject("screenDurationsMs");
            durations.forEach(d::put);
        }
        return out;
    }
}
