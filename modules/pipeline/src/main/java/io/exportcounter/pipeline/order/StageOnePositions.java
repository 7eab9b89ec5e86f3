package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each stage-1 task stands, as its batches tell stage 2: how far in acceptance time it has read,
 * and whether it is idle. Stage 2 applies an entry only once every task that is still reading has read
 * past the entry's acceptance time; until then the entry waits. Without this, a task that runs ahead
 * while replaying a backlog would have its declarations counted before the earlier ones of a task
 * that lags, and a milestone could name a declaration an hour off the one that really crossed.
 *
 * <p>A task counts as reading until it says it is idle, also while no batch of it comes: its instance may be
 * gone and the task not yet running elsewhere, and entries applied meanwhile would go before the ones it has
 * still to send, so a replay after the crash could name another declaration. Counting pauses for the
 * failover (the group's session timeout and a rebalance) instead; the inbox's cap on waiting entries bounds
 * memory if it takes longer. Tasks of partitions that have not been heard from yet count as reading from the
 * start, with nothing read: without that, the first task to report after a start could have its entries
 * applied before the others had read anything.
 */
public final class StageOnePositions {
    private static final byte FORMAT_V1 = 1;

    private static final class Task {
        Instant watermark;
        boolean idle;
    }

    private final Map<Integer, Task> tasks = new TreeMap<>();

    /** Expects a task for each of {@code partitions} input partitions (0: not known). */
    void expect(int partitions) {
        for (int p = 0; p < partitions; p++) {
            tasks.computeIfAbsent(p, k -> new Task());
        }
    }

    /** Takes in the position a batch carries. */
    void update(Position p) {
        if (p.partition() == Position.NONE) {
            return;
        }
        Task t = tasks.computeIfAbsent(p.partition(), k -> new Task());
        t.idle = p.idle();
        if (p.watermark() != null && (t.watermark == null || p.watermark().isAfter(t.watermark))) {
            t.watermark = p.watermark();
        }
    }

    /** How far entries may be applied now: up to the slowest reading task. */
    Watermark watermark() {
        Instant min = null;
        for (Task t : tasks.values()) {
            if (t.idle) {
                continue;
            }
            if (t.watermark == null) {
                return Watermark.UNKNOWN;
            }
            if (min == null || t.watermark.isBefore(min)) {
                min = t.watermark;
            }
        }
        return min == null ? Watermark.NONE : Watermark.at(min);
    }

    byte[] encode() {
        BinaryWriter out = new BinaryWriter(8 + tasks.size() * 20);
        out.writeByte(FORMAT_V1);
        out.writeInt(tasks.size());
        tasks.forEach((partition, t) -> {
            out.writeInt(partition);
            out.writeByte((t.watermark != null ? 1 : 0) | (t.idle ? 2 : 0));
            if (t.watermark != null) {
                out.writeLong(t.watermark.getEpochSecond());
                out.writeInt(t.watermark.getNano());
            }
        });
        return out.toByteArray();
    }

    /** Restores what {@link #encode()} wrote. */
    void restore(byte[] data) {
        tasks.clear();
        if (data == null) {
            return;
        }
        BinaryReader in = new BinaryReader(data);
        byte version = in.readByte();
        if (version != FORMAT_V1) {
            throw new IllegalStateException("unknown stage-1 positions format " + version);
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Task t = new Task();
            int partition = in.readInt();
            int flags = in.readByte();
            if ((flags & 1) != 0) {
                t.watermark = Instant.ofEpochSecond(in.readLong(), in.readInt());
            }
            t.idle = (flags & 2) != 0;
            tasks.put(partition, t);
        }
    }
}
