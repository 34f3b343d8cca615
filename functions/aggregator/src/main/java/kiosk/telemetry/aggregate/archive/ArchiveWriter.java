package kiosk.telemetry.aggregate.archive;

import java.nio.file.Path;
import java.time.LocalDate;

/** Opens the archive of one day for one run, with the configured bucket, staging prefix and work directory. */
public final class ArchiveWriter {

    private final ArchiveStore store;
    private final String stagingPrefix;
    private final Path workDir;
    private final int rowGroupBytes;

    public ArchiveWriter(ArchiveStore store, String stagingPrefix, Path workDir, int rowGroupBytes) {
        this.store = store;
        this.stagingPrefix = stagingPrefix;
        this.workDir = workDir;
        this.rowGroupBytes = rowGroupBytes;
    }

    public DayArchive open(LocalDate day, String runId) {
        return new DayArchive(store, day, stagingPrefix, runId, workDir, rowGroupBytes);
    }
}
