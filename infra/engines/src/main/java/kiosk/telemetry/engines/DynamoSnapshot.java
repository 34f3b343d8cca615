package kiosk.telemetry.engines;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every item of a set of tables, written to one file and read back into an engine whose tables exist.
 * This is how the local stack keeps DynamoDB Local in memory (its file store makes four fsyncs per write)
 * and still keeps its data across restarts.
 *
 * <p>A save scans each table and writes the items to a temporary file that is forced to disk and then moved
 * over the previous snapshot, so a crash while saving leaves the previous snapshot whole. A save taken while
 * writes go on holds every item whole, but not necessarily one instant of all tables; a save taken after the
 * writers have stopped (the local stack's shutdown) holds exactly what the engine holds.
 *
 * <p>Layout: the magic {@code KTDDB1}, then per table its name and its items, each item preceded by 1 and
 * the table closed by 0; the file ends with an empty table name. Values are tagged by their DynamoDB type.
 */
public final class DynamoSnapshot {

    private static final byte[] MAGIC = "KTDDB1".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 25;

    private static final int S = 1;
    private static final int N = 2;
    private static final int B = 3;
    private static final int BOOL = 4;
    private static final int NUL = 5;
    private static final int M = 6;
    private static final int L = 7;
    private static final int SS = 8;
    private static final int NS = 9;
    private static final int BS = 10;

    private DynamoSnapshot() {
    }

    /** Items per table written by {@link #save}, or read by {@link #load}. */
    public record Counts(Map<String, Long> perTable) {
        public long total() {
            return perTable.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Scans {@code tables} and replaces {@code file} with their items; the previous file stays whole until the move. */
    public static Counts save(DynamoDbClient dynamo, Collection<String> tables, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".saving");
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
                out.write(MAGIC);
                for (String table : tables) {
                    out.writeUTF(table);
                    long[] n = {0};
                    scan(dynamo, table, item -> {
                        try {
                            out.writeByte(1);
                            writeItem(out, item);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        n[0]++;
                    });
                    out.writeByte(0);
                    counts.put(table, n[0]);
                }
                out.writeUTF("");
                out.flush();
                fos.getFD().sync();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Counts(counts);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the DynamoDB snapshot to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next save replaces it
            }
        }
    }

    /**
     * Puts every item of {@code file} into its table. A table not in {@code known} (no longer in the template)
     * is read past and named to {@code skipped}. Items replace items with the same key.
     */
    public static Counts load(DynamoDbClient dynamo, Path file, Set<String> known, Consumer<String> skipped) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream data = new DataInputStream(in)) {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalStateException(file + " is not a DynamoDB snapshot of this project (bad header)");
            }
            for (String table = data.readUTF(); !table.isEmpty(); table = data.readUTF()) {
                boolean keep = known.contains(table);
                if (!keep) {
                    skipped.accept(table);
                }
                List<WriteRequest> batch = new ArrayList<>(BATCH);
                long n = 0;
                while (data.readByte() == 1) {
                    Map<String, AttributeValue> item = readItem(data);
                    n++;
                    if (keep) {
                        batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                        if (batch.size() == BATCH) {
                            write(dynamo, table, batch);
                            batch.clear();
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    write(dynamo, table, batch);
                }
                counts.put(table, n);
            }
            return new Counts(counts);
        } catch (EOFException e) {
            throw new IllegalStateException(file + " ends before its last table: the snapshot is cut short", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the DynamoDB snapshot " + file, e);
        }
    }

    /** Copies every item of {@code tables} from one engine to another (moving data off DynamoDB Local's file store). */
    public static Counts copy(DynamoDbClient from, DynamoDbClient to, Collection<String> tables) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            List<WriteRequest> batch = new ArrayList<>(BATCH);
            long[] n = {0};
            scan(from, table, item -> {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                n[0]++;
                if (batch.size() == BATCH) {
                    write(to, table, batch);
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) {
                write(to, table, batch);
            }
            counts.put(table, n[0]);
        }
        return new Counts(counts);
    }

    private static void scan(DynamoDbClient dynamo, String table, Consumer<Map<String, AttributeValue>> each) {
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(each);
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(batch));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == 10) {
                throw new IllegalStateException("DynamoDB Local left " + pending.get(table).size() + " items of " + table + " unwritten");
            }
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(request));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
    }

    private static void writeItem(DataOutputStream out, Map<String, AttributeValue> item) throws IOException {
        out.writeInt(item.size());
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            writeString(out, e.getKey());
            writeValue(out, e.getValue());
        }
    }

    private static Map<String, AttributeValue> readItem(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, AttributeValue> item = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            item.put(readString(in), readValue(in));
        }
        return item;
    }

    private static void writeValue(DataOutputStream out, AttributeValue v) throws IOException {
        switch (v.type()) {
            case S -> {
                out.writeByte(S);
                writeString(out, v.s());
            }
            case N -> {
                out.writeByte(N);
                writeString(out, v.n());
            }
            case B -> {
                out.writeByte(B);
                writeBytes(out, v.b());
            }
            case BOOL -> {
                out.writeByte(BOOL);
                out.writeBoolean(v.bool());
            }
            case NUL -> out.writeByte(NUL);
            case M -> {
                out.writeByte(M);
                writeItem(out, v.m());
            }
            case L -> {
                out.writeByte(L);
                out.writeInt(v.l().size());
                for (AttributeValue e : v.l()) {
                    writeValue(out, e);
                }
            }
            case SS -> {
                out.writeByte(SS);
                writeStrings(out, v.ss());
            }
            case NS -> {
                out.writeByte(NS);
                writeStrings(out, v.ns());
            }
            case BS -> {
                out.writeByte(BS);
                out.writeInt(v.bs().size());
                for (SdkBytes b : v.bs()) {
                    writeBytes(out, b);
                }
            }
            default -> throw new IllegalArgumentException("an attribute of a type this snapshot cannot hold: " + v.type());
        }
    }

    private static AttributeValue readValue(DataInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case S -> AttributeValue.fromS(readString(in));
            case N -> AttributeValue.fromN(readString(in));
            case B -> AttributeValue.fromB(readBytes(in));
            case BOOL -> AttributeValue.fromBool(in.readBoolean());
            case NUL -> AttributeValue.fromNul(true);
            case M -> AttributeValue.fromM(readItem(in));
            case L -> {
                int n = in.readInt();
                List<AttributeValue> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in));
                }
                yield AttributeValue.fromL(list);
            }
            case SS -> AttributeValue.fromSs(readStrings(in));
            case NS -> AttributeValue.fromNs(readStrings(in));
            case BS -> {
                int n = in.readInt();
                List<SdkBytes> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readBytes(in));
                }
                yield AttributeValue.fromBs(list);
            }
            default -> throw new IllegalStateException("the snapshot holds an unknown value tag " + tag);
        };
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String s : values) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readString(in));
        }
        return values;
    }

    /** Length-prefixed UTF-8: {@code writeUTF} stops at 64 KiB, an item may hold 400 KB. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readN(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, SdkBytes b) throws IOException {
        byte[] a = b.asByteArrayUnsafe();
        out.writeInt(a.length);
        out.write(a);
    }

    private static SdkBytes readBytes(DataInputStream in) throws IOException {
        return SdkBytes.fromByteArray(readN(in));
    }

    private static byte[] readN(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IllegalStateException("the snapshot holds a value of " + n + " bytes: the file is damaged");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
