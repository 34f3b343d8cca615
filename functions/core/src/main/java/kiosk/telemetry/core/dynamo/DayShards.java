package kiosk.telemetry.core.dynamo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Write-sharded day partitions ({@code 2025-01-19#3}) for the per-day indexes: a record's shard is a stable hash
 * of its id, so one day's writes spread over {@code shards} index partitions and the aggregator can read one
 * day with one {@code Query} per shard in parallel.
 */
public final class DayShards {

    private DayShards() {
    }

    public static int shardOf(String id, int shards) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    public static String key(LocalDate day, int shard) {
        return day + "#" + shard;
    }

    public static String keyFor(LocalDate day, String id, int shards) {
        return key(day, shardOf(id, shards));
    }

    public static List<String> allKeys(LocalDate day, int shards) {
        List<String> out = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            out.add(key(day, i));
        }
        return out;
    }
}
