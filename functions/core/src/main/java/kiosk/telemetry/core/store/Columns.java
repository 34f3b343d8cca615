package kiosk.telemetry.core.store;

import java.util.Arrays;
import java.util.List;

/** Joins column lists of a record definition. */
final class Columns {

    private Columns() {
    }

    @SafeVarargs
    static List<ArchiveColumn> concat(List<ArchiveColumn>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
