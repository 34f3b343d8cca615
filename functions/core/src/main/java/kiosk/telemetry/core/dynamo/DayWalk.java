package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.json.Timestamps;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A list of records that have no time index, walked day by day, newest first: each day's records are read whole (its
 * sessions' records), kept within [{@code from}, {@code to}), sorted by their list key (which starts with the record's
 * timestamp) and returned from the newest; the cursor holds the day and the key of the last record returned. Events and
 * timings are listed this way.
 */
public final class DayWalk {

    /** A record and its list order key, unique within the list and starting with its timestamp. */
    public record Keyed(String key, Map<String, AttributeValue> item) {
    }

    private DayWalk() {
    }

    /** One page of the walk over {@code daysNewestFirst}; {@code dayRecords} hands every record of one day to a sink. */
    public static IndexPager.Result page(List<LocalDate> daysNewestFirst, Instant from, Instant to, int limit, String cursor,
                                         String scope, BiConsumer<LocalDate, Consumer<Keyed>> dayRecords) {
        int dayIndex = 0;
        String after = null;
        if (cursor != null) {
            var at = DayWalkCursor.decode(scope, cursor);
            dayIndex = daysNewestFirst.indexOf(at.day());
            if (dayIndex < 0) {
                throw DayWalkCursor.invalid();
            }
            after = at.after();
        }
        String low = from == null ? null : Timestamps.format(from);
        String high = to == null ? null : Timestamps.format(to);
        List<Map<String, AttributeValue>> out = new ArrayList<>(limit);
        for (int d = dayIndex; d < daysNewestFirst.size(); d++) {
            LocalDate day = daysNewestFirst.get(d);
            List<Keyed> records = new ArrayList<>();
            String resumeBefore = d == dayIndex ? after : null;
            dayRecords.accept(day, r -> {
                if ((low == null || r.key().compareTo(low) >= 0) && (high == null || r.key().compareTo(high) <= 0)
                        && (resumeBefore == null || r.key().compareTo(resumeBefore) < 0)) {
                    records.add(r);
                }
            });
            records.sort(Comparator.comparing(Keyed::key).reversed());
            for (int i = 0; i < records.size(); i++) {
                if (out.size() == limit) {
                    return new IndexPager.Result(out, new DayWalkCursor(day, records.get(i - 1).key()).encode(scope));
                }
                out.add(records.get(i).item());
            }
            if (out.size() == limit && d + 1 < daysNewestFirst.size()) {
                return new IndexPager.Result(out, new DayWalkCursor(daysNewestFirst.get(d + 1), null).encode(scope));
            }
        }
        return new IndexPager.Result(out, null);
    }
}
