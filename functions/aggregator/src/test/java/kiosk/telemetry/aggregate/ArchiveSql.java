package kiosk.telemetry.aggregate;

import kiosk.telemetry.aggregate.archive.ArchiveTable;

import java.nio.file.Path;
import org.duckdb.DuckDBDriver;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * DuckDB over a local copy of the archive, set up the way Athena sees it: one view per archived table named as
 * its Glue table, {@code dt} a string partition column. The one dialect shim: DuckDB has no
 * {@code json_extract_scalar}, so a macro maps it to DuckDB's {@code json_extract_string} (same JSONPath subset).
 */
final class ArchiveSql implements AutoCloseable {

    private final Connection db;

    ArchiveSql(Path archive) throws SQLException {
        // the driver itself, not DriverManager: a @QuarkusTest of this module may have registered DuckDB from its own
        // class loader first, and DriverManager then refuses that registration to plain tests
        db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        try (Statement st = db.createStatement()) {
            st.execute("SET autoinstall_known_extensions=false");
            st.execute("CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)");
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

    /** Every row of {@code sql}, each column rendered as text (null as "null"). */
    List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(String.valueOf(v));
                }
                out.add(row);
            }
        }
        return out;
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(rows(sql).get(0).get(0));
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
