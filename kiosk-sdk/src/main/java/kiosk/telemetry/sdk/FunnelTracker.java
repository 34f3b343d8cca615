package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages one session walked through, each visit with the time it was entered and left. Going back to an
 * earlier stage is a new visit. The exit stage of a session that did not complete is the stage it was in when it
 * ended.
 */
public final class FunnelTracker {

    /** One stay in a stage; {@code exitedAt} is null while the session is in it. */
    public record Visit(FunnelStage stage, Instant enteredAt, Instant exitedAt) {
    }

    static final int MAX_VISITS = 64;

    private final List<Visit> visits = new ArrayList<>();

    /** Leaves the current stage (if any) and enters {@code stage}, both at {@code at}. Re-entering the current stage is a no-op. */
    void enter(FunnelStage stage, Instant at) {
        FunnelStage now = current();
        if (now == stage) {
            return;
        }
        leave(at);
        if (visits.size() == MAX_VISITS) {
            visits.remove(MAX_VISITS - 1);
        }
        visits.add(new Visit(stage, at, null));
    }

    /** Leaves the current stage at {@code at}. */
    void leave(Instant at) {
        if (!visits.isEmpty()) {
            Visit last = visits.get(visits.size() - 1);
            if (last.exitedAt() == null) {
                visits.set(visits.size() - 1, new Visit(last.stage(), last.enteredAt(), at));
            }
        }
    }

    /** The stage the session is in (or ended in); null before the first stage. */
    public FunnelStage current() {
        return visits.isEmpty() ? null : visits.get(visits.size() - 1).stage();
    }

    /** The furthest stage reached. */
    public FunnelStage furthest() {
        FunnelStage max = null;
        for (Visit v : visits) {
            if (max == null || v.stage().ordinal() > max.ordinal()) {
                max = v.stage();
            }
        }
        return max;
    }

    public List<Visit> visits() {
        return List.copyOf(visits);
    }

    ObjectNode toJson(ObjectMapper json, FunnelStage exitStage) {
        ObjectNode funnel = json.createObjectNode();
        ArrayNode stages = funnel.putArray("stages");
        for (Visit v : visits) {
            ObjectNode s = stages.addObject().put("stage", v.stage().apiName()).put("enteredAt", v.enteredAt().toString());
            if (v.exitedAt() != null) {
                s.put("exitedAt", v.exitedAt().toString());
            }
        }
        if (exitStage != null) {
            funnel.put("exitStage", exitStage.apiName());
        } else {
            funnel.putNull("exitStage");
        }
        return funnel;
    }
}
