package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.json.Timestamps;
import kiosk.telemetry.core.store.Attribute;
import kiosk.telemetry.core.store.Index;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a list route reads its table, decided in one place for every table: the first candidate read path whose value
 * is given (a device, a store...), else the days' write shards; equality filters on the other given values (a filter
 * on the chosen partition attribute is left out: the key condition already holds it); a range on the sort key.
 * The result is the {@link IndexPager.Spec} the pager walks.
 */
public final class ListPlan {

    private final String table;
    private final List<Attribute<?>> tableKey;
    private Index index;
    private List<List<String>> groups;
    private final List<Condition> filters = new ArrayList<>();
    private IndexPager.SortRange range;
    private boolean newestFirst = true;

    private record Condition(Attribute<?> attribute, String operator, AttributeValue value) {
    }

    private ListPlan(String table, List<Attribute<?>> tableKey) {
        this.table = table;
        this.tableKey = tableKey;
    }

    /** A plan on {@code table}, whose own key is {@code tableKey} (the pager's cursor holds it). */
    public static ListPlan on(String table, Attribute<?>... tableKey) {
        return new ListPlan(table, List.of(tableKey));
    }

    /** Reads the one partition {@code value} of {@code index}, if it is given and no read path is chosen yet. */
    public ListPlan byPartition(Index index, String value) {
        if (value != null && this.index == null) {
            this.index = index;
            this.groups = List.of(List.of(value));
        }
        return this;
    }

    /** Reads the write shards of each day, newest day first, if no read path is chosen yet. */
    public ListPlan byDays(Index index, List<LocalDate> daysNewestFirst, int shards) {
        if (this.index == null) {
            this.index = index;
            this.groups = daysNewestFirst.stream().map(d -> DayShards.allKeys(d, shards)).toList();
        }
        return this;
    }

    /** Reads the given partition groups of {@code index} one after the other, if no read path is chosen yet. */
    public ListPlan byGroups(Index index, List<List<String>> groups) {
        if (this.index == null) {
            this.index = index;
            this.groups = groups;
        }
        return this;
    }

    /** Keeps items whose {@code attribute} equals {@code value}; nothing when the value is null. */
    public <T> ListPlan whereEqual(Attribute<T> attribute, T value) {
        return where(attribute, "=", value);
    }

    /** Keeps items whose {@code attribute} differs from {@code value}; nothing when the value is null. */
    public <T> ListPlan whereNot(Attribute<T> attribute, T value) {
        return where(attribute, "<>", value);
    }

    /** Keeps items whose {@code attribute} is below {@code value}; nothing when the value is null. */
    public <T> ListPlan whereBelow(Attribute<T> attribute, T value) {
        return where(attribute, "<", value);
    }

    private <T> ListPlan where(Attribute<T> attribute, String operator, T value) {
        if (value != null) {
            filters.add(new Condition(attribute, operator, attribute.value(value)));
        }
        return this;
    }

    /** Items whose sort key (a time-ordered text key) lies in [{@code from}, {@code to}]; null ends are open. */
    public ListPlan between(Instant from, Instant to) {
        return between(from == null ? null : Timestamps.format(from), to == null ? null : Timestamps.format(to));
    }

    /** Items whose sort key lies in [{@code low}, {@code high}]; null ends are open. */
    public ListPlan between(String low, String high) {
        this.range = new IndexPager.SortRange(low, high);
        return this;
    }

    public ListPlan oldestFirst() {
        this.newestFirst = false;
        return this;
    }

    public IndexPager.Spec spec() {
        if (index == null) {
            throw new IllegalStateException("no read path chosen for a list of " + table);
        }
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        for (Condition c : filters) {
            if (c.attribute().name().equals(index.partition().name()) && c.operator().equals("=")) {
                continue;
            }
            int n = conditions.size();
            names.put("#f" + n, c.attribute().name());
            values.put(":f" + n, c.value());
            conditions.add("#f" + n + " " + c.operator() + " :f" + n);
        }
        IndexPager.Filter filter = conditions.isEmpty() ? IndexPager.Filter.none()
                : new IndexPager.Filter(String.join(" AND ", conditions), names, values);
        Set<String> keyAttrs = new LinkedHashSet<>();
        tableKey.forEach(a -> keyAttrs.add(a.name()));
        keyAttrs.add(index.partition().name());
        if (index.sort() != null) {
            keyAttrs.add(index.sort().name());
        }
        return new IndexPager.Spec(table, index.queryName(), index.partition().name(), index.sort() == null ? null : index.sort().name(),
                List.copyOf(keyAttrs), groups, range, filter, newestFirst);
    }
}
