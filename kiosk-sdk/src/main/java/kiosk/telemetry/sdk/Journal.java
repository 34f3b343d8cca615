package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * The kiosk's local, append-only record of what it still has to send. One line per change:
 * <pre>
 * A {"id":12,"kind":"EVENT","key":"…","at":"…","body":{…}}   a record was queued
 * D 12,13,14                                               those records are done (answered, dropped or replaced)
 * </pre>
 * Opening replays the file: queued minus done is what is pending. A line cut short by a power failure (no
 * newline at the end of the file) is ignored and cut off, so nothing acknowledged is ever sent again and
 * nothing fully written is ever lost. When done lines dominate, the file is rewritten with only the pending
 * records (to a temporary file, forced, then atomically renamed).
 */
final class Journal implements AutoCloseable {

    static final String FILE_NAME = "telemetry-journal.log";
    private static final long COMPACT_MIN_BYTES = 1 << 20;

    private final Path file;
    private final Durability durability;
    private final ObjectMapper json;
    private FileChannel channel;
    private long liveBytes;

    private Journal(Path file, Durability durability, ObjectMapper json) {
        this.file = file;
        this.durability = durability;
        this.json = json;
    }

    /** The pending records found on opening, oldest first. */
    record Opened(Journal journal, List<Delivery> pending, int unreadableLines) {
    }

    static Opened open(Path directory, Durability durability, ObjectMapper json) {
        try {
            Files.createDirectories(directory);
            Journal journal = new Journal(directory.resolve(FILE_NAME), durability, json);
            Map<Long, Delivery> pending = new LinkedHashMap<>();
            int unreadable = journal.replay(pending);
            journal.channel = FileChannel.open(journal.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new Opened(journal, new ArrayList<>(pending.values()), unreadable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the telemetry journal in " + directory, e);
        }
    }

    private int replay(Map<Long, Delivery> pending) throws IOException {
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
                Instant.parse(n.get("at").asText()), (ObjectNode) n.get("body"));
    }

    private String line(Delivery d) {
        ObjectNode n = json.createObjectNode();
        n.put("id", d.id()).put("kind", d.kind().name()).put("key", d.key()).put("at", d.recordedAt().toString());
        n.set("body", d.body());
        return "A " + n + "\n";
    }

    /** Records queued; durable (per {@link Durability}) when this returns. */
    void appended(Collection<Delivery> deliveries) {
        StringBuilder sb = new StringBuilder();
        deliveries.forEach(d -> sb.append(line(d)));
        write(sb.toString());
    }

    /** Records finished with: they will never be sent again. */
    void done(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        StringJoiner j = new StringJoiner(",", "D ", "\n");
        ids.forEach(id -> j.add(Long.toString(id)));
        write(j.toString());
    }

    private void write(String text) {
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            if (durability == Durability.SYNC) {
                channel.force(false);
            }
            liveBytes += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the telemetry journal " + file, e);
        }
    }

    /** True once the file is over 1 MiB and finished lines make up at least three quarters of it. */
    boolean worthCompacting(long pendingBytes) {
        return liveBytes >= COMPACT_MIN_BYTES && liveBytes >= 4 * (pendingBytes + 1024);
    }

    /** Rewrites the file with only {@code pending}, in order. */
    void compact(Collection<Delivery> pending) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            StringBuilder sb = new StringBuilder();
            pending.forEach(d -> sb.append(line(d)));
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the telemetry journal " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the telemetry journal " + file, e);
        }
    }
}
