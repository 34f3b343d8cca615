package kiosk.telemetry.engines;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Walks a list route to its end by following {@code nextCursor}, at limits 1, 2, 7 and the largest allowed, and
 * compares what it saw with the seeded data set: exactly the seeded items the filter selects, each once, in the
 * route's documented order. The tables must hold only the seed: a test class using it runs on engines of its
 * own ({@code @QuarkusTestResource(value = TelemetryEnginesTestResource.class, restrictToAnnotatedClass = true)}).
 * <p>
 * Items and seed rows are both maps in the API's field names, so one comparator orders both. The caller
 * fetches the pages (through HTTP, as an operator), so this class needs no HTTP client of its own.
 */
public final class ListWalker {

    /** Fetches one page of {@code path} with these query parameters; fails unless the answer is 200. */
    @FunctionalInterface
    public interface Pages {
        Page get(String path, Map<String, String> query);
    }

    /** A list body: {@code {"items":[…],"nextCursor":…}}. */
    public record Page(List<Map<String, Object>> items, String nextCursor) {
    }

    /** A list route: its path, what identifies an item, and its documented order. */
    public record Route(String path, Function<Map<String, Object>, String> id, Comparator<Map<String, Object>> order) {

        public static Route of(String path, String idField, Comparator<Map<String, Object>> order) {
            return new Route(path, row -> String.valueOf(row.get(idField)), order);
        }
    }

    /** Query parameters of a list and which seed rows they select. */
    public record Filter(String label, Map<String, String> params, Predicate<Map<String, Object>> selects) {

        public static Filter none() {
            return new Filter("no filter", Map.of(), row -> true);
        }

        /** {@code field=value}, selecting rows whose field shows that value. */
        public static Filter equal(String field, Object value) {
            String v = String.valueOf(value);
            return new Filter(field + "=" + v, Map.of(field, v), row -> v.equals(String.valueOf(row.get(field))));
        }

        /** {@code from}/{@code to} (either may be null): rows whose {@code field} instant lies in [from, to). */
        public static Filter between(String field, Instant from, Instant to) {
            Map<String, String> params = new LinkedHashMap<>();
            if (from != null) {
                params.put("from", from.toString());
            }
            if (to != null) {
                params.put("to", to.toString());
            }
            return new Filter(params.toString(), params, row -> {
                Instant t = Instant.parse(String.valueOf(row.get(field)));
                return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
            });
        }

        /** These parameters, selecting rows with this rule. */
        public static Filter of(Map<String, String> params, Predicate<Map<String, Object>> selects) {
            return new Filter(params.toString(), params, selects);
        }

        public Filter and(Filter other) {
            Map<String, String> params = new LinkedHashMap<>(this.params);
            params.putAll(other.params);
            return new Filter(label + " & " + other.label, params, selects.and(other.selects));
        }
    }

    private static final int MAX_PAGES = 5_000;

    private final Pages pages;
    private final int[] limits;

    /** {@code maxPageSize}: the route's largest {@code limit} ({@code telemetry.limits.max-page-size}). */
    public ListWalker(Pages pages, int maxPageSize) {
        this.pages = pages;
        this.limits = new int[]{1, 2, 7, maxPageSize};
    }

    /** Orders by these fields' text, greatest first (fixed-width UTC instants sort as time). */
    public static Comparator<Map<String, Object>> descending(String... fields) {
        return ascending(fields).reversed();
    }

    /** Orders by these fields' text, smallest first. */
    public static Comparator<Map<String, Object>> ascending(String... fields) {
        Comparator<Map<String, Object>> c = null;
        for (String f : fields) {
            Comparator<Map<String, Object>> next = Comparator.comparing(row -> String.valueOf(row.get(f)));
            c = c == null ? next : c.thenComparing(next);
        }
        return Objects.requireNonNull(c, "at least one field");
    }

    /** Orders by a numeric field, smallest first. */
    public static Comparator<Map<String, Object>> ascendingNumber(String field) {
        return Comparator.comparingLong(row -> ((Number) row.get(field)).longValue());
    }

    /** Walks the route with each filter at every limit; see the class comment for what is checked. */
    public void walkEach(Route route, List<Map<String, Object>> seed, List<Filter> filters) {
        for (Filter f : filters) {
            walk(route, seed, f);
        }
    }

    /** Walks the route with one filter at every limit; returns the ids the walks saw, in order. */
    public List<String> walk(Route route, List<Map<String, Object>> seed, Filter filter) {
        Set<String> seedIds = new HashSet<>();
        seed.forEach(row -> seedIds.add(route.id().apply(row)));
        assertEquals(seed.size(), seedIds.size(), "seed ids are unique");
        List<String> expected = seed.stream().filter(filter.selects()).sorted(route.order()).map(route.id()).toList();
        for (int limit : limits) {
            String where = route.path() + " " + filter.label() + " limit " + limit;
            List<String> seen = new ArrayList<>();
            Set<String> all = new HashSet<>();
            Map<String, Object> previous = null;
            String cursor = null;
            int pageCount = 0;
            do {
                Map<String, String> query = new LinkedHashMap<>(filter.params());
                query.put("limit", Integer.toString(limit));
                if (cursor != null) {
                    query.put("cursor", cursor);
                }
                Page page = pages.get(route.path(), query);
                assertTrue(page.items().size() <= limit, where + ": a page holds at most limit items");
                for (Map<String, Object> item : page.items()) {
                    String id = route.id().apply(item);
                    assertTrue(seedIds.contains(id), where + ": " + id + " is not in the seed");
                    assertTrue(all.add(id), where + ": " + id + " came twice");
                    if (previous != null && route.order().compare(previous, item) > 0) {
                        fail(where + ": " + id + " came after " + route.id().apply(previous) + ", against the documented order");
                    }
                    previous = item;
                    seen.add(id);
                }
                cursor = page.nextCursor();
                if (++pageCount > MAX_PAGES) {
                    fail(where + ": the walk does not end");
                }
            } while (cursor != null);
            assertEquals(expected, seen, where + ": the seeded items the filter selects, each once, in order");
        }
        return expected;
    }
}
