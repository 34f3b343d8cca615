package kiosk.telemetry.core.store;

/**
 * A way to Query a table: a global secondary index (its name, partition and sort attribute), or the table's own key
 * ({@link #TABLE_KEY} name, see {@link #tableKey}). The template declares the same indexes; a test compares them.
 */
public record Index(String name, Attribute<?> partition, Attribute<?> sort) {

    /** The name of the table's own key, which a Query reads without an index name. */
    public static final String TABLE_KEY = "";

    /** The table's own key as a read path. */
    public static Index tableKey(Attribute<?> partition, Attribute<?> sort) {
        return new Index(TABLE_KEY, partition, sort);
    }

    /** The index name a Query names, or null for the table's own key. */
    public String queryName() {
        return TABLE_KEY.equals(name) ? null : name;
    }
}
