package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiosk.telemetry.core.domain.Refusal;
import kiosk.telemetry.core.summary.SummaryTotals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A day's rollups, built from that day's device summaries only (never from raw records): one for the fleet,
 * and one for every store, group and country that has a summary, {@code "unknown"} included so that each
 * kind of scope adds up to the fleet. Deterministic: the same summaries give the same rollups, in the order
 * fleet, countries, groups, stores, each by id.
 */
public final class Rollups {

    /** A scope's kind, as stored ({@code scopeType}) and as the query parameter that selects it. */
    public enum ScopeType {
        fleet(null), country("countryCode"), group("groupId"), store("storeId");

        private final String field;

        ScopeType(String field) {
            this.field = field;
        }

        /** The summary field and query parameter of this kind of scope; null for the fleet. */
        public String field() {
            return field;
        }
    }

    /** One scope: its kind and id ({@code ""} for the fleet). */
    public record Scope(ScopeType type, String id) {
        public static final Scope FLEET = new Scope(ScopeType.fleet, "");

        /**
         * The scope a request's {@code storeId}, {@code groupId} and {@code countryCode} name: at most one of them
         * (empty counts as absent), none is the fleet. Two or more: 400 on the last one given.
         */
        public static Scope of(String storeId, String groupId, String countryCode) {
            Scope scope = FLEET;
            int given = 0;
            String[] values = {storeId, groupId, countryCode};
            ScopeType[] types = {ScopeType.store, ScopeType.group, ScopeType.country};
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null && !values[i].isEmpty()) {
                    given++;
                    scope = new Scope(types[i], values[i]);
                }
            }
            if (given > 1) {
                throw Refusal.invalid(scope.type().field(), "give at most one of storeId, groupId and countryCode");
            }
            return scope;
        }

        /** The table key: {@code fleet}, {@code store#store-12}, … */
        public String key() {
            return type == ScopeType.fleet ? "fleet" : type.name() + "#" + id;
        }

        /** The contract's {@code scope} object: {@code {}} or {@code {"storeId":"store-12"}}. */
        public ObjectNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (type != ScopeType.fleet) {
                o.put(type.field(), id);
            }
            return o;
        }
    }

    private Rollups() {
    }

    /** The rollups of {@code date} from its device summaries. */
    public static List<ObjectNode> of(String date, List<? extends JsonNode> summaries, String aggregatedAt) {
        Map<Scope, SummaryTotals> totals = new TreeMap<>((a, b) -> a.type() != b.type() ? a.type().compareTo(b.type()) : a.id().compareTo(b.id()));
        for (JsonNode s : summaries) {
            totals.computeIfAbsent(Scope.FLEET, k -> new SummaryTotals()).addDeviceSummary(s);
            for (ScopeType t : List.of(ScopeType.country, ScopeType.group, ScopeType.store)) {
                totals.computeIfAbsent(new Scope(t, s.path(t.field()).asText("unknown")), k -> new SummaryTotals()).addDeviceSummary(s);
            }
        }
        List<ObjectNode> out = new ArrayList<>(totals.size());
        totals.forEach((scope, t) -> {
            ObjectNode r = JsonNodeFactory.instance.objectNode();
            r.put("date", date);
            r.set("scope", scope.json());
            r.setAll(t.toJson());
            r.put("aggregatedAt", aggregatedAt);
            out.add(r);
        });
        return out;
    }

    /** The day a rollup is of. */
    public static LocalDate dateOf(JsonNode rollup) {
        return LocalDate.parse(rollup.path("date").asText());
    }

    /** The scope a stored rollup belongs to. */
    public static Scope scopeOf(JsonNode rollup) {
        JsonNode scope = rollup.path("scope");
        for (ScopeType t : List.of(ScopeType.country, ScopeType.group, ScopeType.store)) {
            if (scope.has(t.field())) {
                return new Scope(t, scope.get(t.field()).asText());
            }
        }
        return Scope.FLEET;
    }
}
