package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The kiosk's local, append-only record of what it still has to send and of the sessions still open. One line
 * per change:
 * <pre>
 * A {"id":12,"kind":"EVENT","key":"…","at":"…","off":0,"body":{…}}   a record was queued
 * D 12,13,14                                   those records are done (answered, dropped or replaced)
 * S {"sessionId":"…","seq":3,…}                the state of an open session (the newest line wins)
 * X 0b6f…                                      that session was ended
 * </pre>
 * Opening replays the file: queued minus done is what is pending, and the sessions with an {@code S} but no
 * {@code X} were open when the previous process stopped. A line cut short by a power failure (no newline at
 * the end of the file) is ignored and cut off. When done lines dominate, the file is rewritten with only the
 * pending records and open sessions (to a temporary file, forced, then atomically renamed).
 *
 * <p>Only one thread writes (the {@link EventBuffer}'s committer). A file lock on {@value #LOCK_NAME} keeps a
 * second SDK instance (in this or another process) off the directory.
 */
final class Journal implements AutoCloseable {

    static final String FILE_NAME = "telemetry-journal.log";
    static final String LOCK_NAME = "telemetry-journal.lock";
    private static final long COMPACT_MIN_BYTES = 1 << 20;

    private final Path file;
    private final Durability durability;
    private final ObjectMapper json;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel channel;
    private long liveBytes;
    /** The file's length after the last complete write: a failed write is cut back to it before the next. */
    private long goodSize;
    private boolean dirtyTail;
    /** Tests: the next writes fail as on a full disk. */
    volatile boolean simulateFullDisk;

    private Journal(Path file, Durability durability, ObjectMapper json, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.durability = durability;
        this.json = json;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The pending records found on opening, oldest first, and the sessions left open (session id → state). */
    record Opened(Journal journal, List<Delivery> pending, Map<String, ObjectNode> openSessions, int unreadableLines) {
    }

    /**
     * Opens (and locks) the journal in {@code directory}.
     *
     * @throws IllegalStateException when another SDK instance holds the directory
     * @throws UncheckedIOException  when the directory cannot be used at all
     */
    static Opened open(Path directory, Durability durability, ObjectMapper json) {
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(directory);
            lockChannel = FileChannel.open(directory.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the telemetry journal in " + directory
                        + " is in use by another SDK instance (one instance per journal directory)");
            }
            Journal journal = new Journal(directory.resolve(FILE_NAME), durability, json, lockChannel, lock);
            Map<Long, Delivery> pending = new LinkedHashMap<>();
            Map<String, ObjectNode> sessions = new LinkedHashMap<>();
            int unreadable = journal.replay(pending, sessions);
            journal.channel = FileChannel.open(journal.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            journal.goodSize = journal.channel.size();
            return new Opened(journal, new ArrayList<>(pending.values()), sessions, unreadable);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("cannot open the telemetry journal in " + directory, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to add
            }
        }
    }

    private int replay(Map<Long, Delivery> pending, Map<String, ObjectNode> sessions) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] all = Files.readAllBytes(file);
        int complete = all.length;
        while (complete > 0 && all[complete - 1] != '\n') {
            complete--;
        }
        if (complete < all.length) {
            // the tail was being written when the power went: it was never acknowledged as queued
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(complete);
                ch.force(true);
            }
        }
        int unreadable = 0;
        for (String line : new String(all, 0, complete, StandardCharsets.UTF_8).split("\n")) {
            if (line.length() < 2) {
                continue;
            }
            try {
                if (line.startsWith("A ")) {
                    Delivery d = parse(line.substring(2));
                    pending.put(d.id(), d);
                } else if (line.startsWith("D ")) {
                    for (String id : line.substring(2).split(",")) {
                        pending.remove(Long.parseLong(id.trim()));
                    }
                } else if (line.startsWith("S ")) {
                    ObjectNode s = (ObjectNode) json.readTree(line.substring(2));
                    sessions.put(s.get("sessionId").asText(), s);
                } else if (line.startsWith("X ")) {
                    sessions.remove(line.substring(2).trim());
                } else {
                    unreadable++;
                }
            } catch (RuntimeException | IOException e) {
                unreadable++;
            }
        }
        liveBytes = complete;
        return unreadable;
    }

    private Delivery parse(String text) throws IOException {
        ObjectNode n = (ObjectNode) json.readTree(text);
        return Delivery.of(n.get("id").asLong(), Delivery.Kind.valueOf(n.get("kind").asText()), n.get("key").asText(),
                Instant.parse(n.get("at").asText()), (ObjectNode) n.get("body"), n.path("off").asLong(0),
                n.path("fix").asBoolean(false));
    }

    String line(Delivery d) {
        ObjectNode n = json.createObjectNode();
        n.put("id", d.id()).put("kind", d.kind().name()).put("key", d.key()).put("at", d.recordedAt().toString())
                .put("off", d.clockOffsetMs());
        if (d.corrected()) {
            n.put("fix", true);
        }
        n.set("body", d.body());
        return "A " + n + "\n";
    }

    static String doneLine(Collection<Long> ids) {
        StringJoiner j = new StringJoiner(",", "D ", "\n");
        ids.forEach(id -> j.add(Long.toString(id)));
        return j.toString();
    }

    static String sessionLine(ObjectNode state) {
        return "S " + state + "\n";
    }

    static String endedLine(String sessionId) {
        return "X " + sessionId + "\n";
    }

    /** Appends {@code text} (whole lines) and, in {@code SYNC}, forces it to the device. */
    void append(String text) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        if (dirtyTail) {
            // a failed write may have left part of a line: cut it off so the next line starts clean
            channel.truncate(goodSize);
            dirtyTail = false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (simulateFullDisk) {
                throw new IOException("No space left on device (simulated)");
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            if (durability == Durability.SYNC) {
                channel.force(false);
            }
        } catch (IOException e) {
            dirtyTail = true;
            throw e;
        }
        goodSize += bytes.length;
        liveBytes += bytes.length;
    }

    /** True once the file is over 1 MiB and finished lines make up at least three quarters of it. */
    boolean worthCompacting(long pendingBytes) {
        return liveBytes >= COMPACT_MIN_BYTES && liveBytes >= 4 * (pendingBytes + 1024);
    }

    /** Rewrites the file with only {@code pending} (in order) and the open sessions' states. */
    void compact(Collection<Delivery> pending, Collection<String> sessionLines) throws IOException {
        if (simulateFullDisk) {
            throw new IOException("No space left on device (simulated)");
        }
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        StringBuilder sb = new StringBuilder();
        pending.forEach(d -> sb.append(line(d)));
        sessionLines.forEach(sb::append);
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        liveBytes = bytes.length;
        goodSize = bytes.length;
        dirtyTail = false;
    }

    /** Forces what was written and releases the directory. Never throws. */
    @Override
    public void close() {
        try {
            channel.force(true);
        } catch (IOException ignored) {
            // the disk refused; what was forced before stays
        }
        closeQuietly(channel);
        releaseLock();
    }

    /** Releases the directory without writing anything more (a crash, for tests). */
    void abandon() {
        closeQuietly(channel);
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }
}
