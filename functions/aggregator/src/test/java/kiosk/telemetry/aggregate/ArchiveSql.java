package kiosk.telemetry.aggregate;

import kiosk.telemetry.aggregate.archive.ArchiveTable;

import java.nio.file.Path;
import org.duckdb.DuckDBDriver;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * DuckDB over a local copy of the archive, set up the way Athena sees it: one view per archived table named as
 * its Glue table, {@code dt} a string partition column. Dialect shims, each making DuckDB do what Athena (Trino)
 * does: macros for the Trino functions DuckDB lacks ({@code json_extract_scalar} as {@code json_extract_string}, same
 * JSONPath subset; {@code json_parse} as a cast to JSON; {@code day_of_week} as {@code isodow}, 1 = Monday), and
 * {@code integer_division}, so that {@code /} between whole numbers truncates as in Trino instead of giving a double.
 */
final class ArchiveSql implements AutoCloseable {

    private final Connection db;

    ArchiveSql(Path archive) throws SQLException {
        // the driver itself, not DriverManager: a @QuarkusTest of this module may have registered DuckDB from its own
        // class loader first, and DriverManager then refuses that registration to plain tests
        db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        try (Statement st = db.createStatement()) {
            st.execute("SET autoinstall_known_extensions=false");
            st.execute("SET integer_division = true");
            st.execute("CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)");
            st.execute("CREATE MACRO json_parse(j) AS CAST(j AS JSON)");
            st.execute("CREATE MACRO day_of_week(d) AS isodow(d)");
            for (ArchiveTable t : ArchiveTable.ALL) {
                String glob = archive.resolve(t.name()).toString() + "/dt=*/*.parquet";
                if (!java.nio.file.Files.isDirectory(archive.resolve(t.name()))) {
                    continue;
                }
                st.execute("CREATE VIEW " + t.name() + " AS SELECT * FROM read_parquet('" + glob
                        + "', hive_partitioning = true, hive_types = {'dt': VARCHAR})");
            }
        }
    }

    /**
     * Every row of {@code sql}, each column rendered as text (null as "null"); {@code parameters} are bound to its
     * {@code ?} in order, as Athena's execution parameters are.
     */
    List<List<String>> rows(String sql, String... parameters) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                read(rs, out);
            }
        }
        return out;
    }

    private static void read(ResultSet rs, List<List<String>> out) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(String.valueOf(rs.getObject(i)));
            }
            out.add(row);
        }
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(rows(sql).get(0).get(0));
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
