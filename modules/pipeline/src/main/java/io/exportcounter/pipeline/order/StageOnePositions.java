package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 *
 * <p>An idle claim says how far the task had read its partition (an offset, {@link Position#readTo()}), and holds only
 * while the partition holds nothing past it: a task that said it was idle and then stopped (its instance killed,
 * frozen or cut off, its partition's leader moving) while declarations keep arriving on its partition must be
 * waited for like a silent one, else the others' later declarations are applied before its earlier ones. So an idle
 * task is skipped only while its partition's end offset ({@link InputEnds}) is at most its claim; otherwise it counts
 * as reading at its watermark. The end offsets must be read after the entries about to be applied were received
 * (else a declaration appended to the idle task's partition just before could be missed): they are read again when
 * a decision needs them and a batch was received since the last read began, else the last answer is used. A claim
 * that does not say how far (an earlier format, a TopologyTestDriver), or no source of end offsets: the claim is
 * taken as it is.
 */
public final class StageOnePositions {
    private static final byte FORMAT_V1 = 1;
    /** As V1, and an idle task's claim: how far it had read its partition (only when known). */
    private static final byte FORMAT_V2 = 2;
    /** As V2, after the key of the last inbox batch the positions include. */
    private static final byte FORMAT_V3 = 3;
    /** What {@link #restore} answers when the positions do not say which batches they include (none stored, V1, V2). */
    public static final long NO_BATCH = -1;

    private static final int HAS_WATERMARK = 1;
    private static final int IDLE = 2;
    private static final int HAS_READ_TO = 4;

    private static final class Task {
        Instant watermark;
        boolean idle;
        long readTo = Position.UNKNOWN_OFFSET;

        /** Whether its idle claim says how far it has read, and so is checked against the partition's end. */
        boolean claimToCheck() {
            return idle && readTo != Position.UNKNOWN_OFFSET;
        }
    }

    private final Map<Integer, Task> tasks = new TreeMap<>();
    private final InputEnds inputEnds;
    /** Batches received so far, and how many had been when the last read of end offsets that succeeded began (-1: none since the last restore). */
    private long received;
    private long receivedAtRead = -1;
    /** The last end offsets read, by partition (those of the partitions with a claim to check then). */
    private Map<Integer, Long> ends = Map.of();
    private long endReads;

    /** Takes idle claims as they are. */
    StageOnePositions() {
        this(InputEnds.NONE);
    }

    /** @param inputEnds what idle claims are checked against ({@link InputEnds#NONE}: taken as they are) */
    StageOnePositions(InputEnds inputEnds) {
        this.inputEnds = Objects.requireNonNull(inputEnds);
    }

    /** Expects a task for each of {@code partitions} input partitions (0: not known). */
    void expect(int partitions) {
        for (int p = 0; p < partitions; p++) {
            tasks.computeIfAbsent(p, k -> new Task());
        }
    }

    /** Takes in the position a batch carries. */
    void update(Position p) {
        received++;
        if (p.partition() == Position.NONE) {
            return;
        }
        Task t = tasks.computeIfAbsent(p.partition(), k -> new Task());
        t.idle = p.idle();
        t.readTo = p.readTo();
        if (p.watermark() != null && (t.watermark == null || p.watermark().isAfter(t.watermark))) {
            t.watermark = p.watermark();
        }
    }

    /**
     * How far entries may be applied now: up to the slowest reading task, idle ones whose partition holds more than
     * they claim to have read included. Reads the end offsets when it needs them and a batch came since the last read.
     */
    Watermark watermark() {
        return watermark(true);
    }

    /**
     * As {@link #watermark()}, with the end offsets last read, never reading them: for the pace stage 1 hears, which
     * bounds memory and is said every tick. A claim not checked yet, or whose check failed, is taken as it is there.
     */
    Watermark watermarkAsLastChecked() {
        return watermark(false);
    }

    private Watermark watermark(boolean mayRead) {
        Instant min = null;
        List<Map.Entry<Integer, Task>> claims = null;
        for (Map.Entry<Integer, Task> e : tasks.entrySet()) {
            Task t = e.getValue();
            if (t.idle) {
                if (t.claimToCheck() && inputEnds != InputEnds.NONE) {
                    if (claims == null) {
                        claims = new ArrayList<>();
                    }
                    claims.add(e);
                }
                continue;
            }
            if (t.watermark == null) {
                return Watermark.UNKNOWN;
            }
            if (min == null || t.watermark.isBefore(min)) {
                min = t.watermark;
            }
        }
        if (claims != null) {
            // A claim matters only where the task, counted as reading, would hold back more than the others do.
            Instant others = min;
            claims.removeIf(e -> others != null && e.getValue().watermark != null && !e.getValue().watermark.isBefore(others));
            Map<Integer, Long> known = claims.isEmpty() ? Map.of() : ends(mayRead);
            for (Map.Entry<Integer, Task> e : claims) {
                Task t = e.getValue();
                Long end = known.get(e.getKey());
                if (end == null ? !mayRead : end <= t.readTo) {
                    continue;
                }
                // Its partition holds more than it has read (or its end is not known now): wait for it.
                if (t.watermark == null) {
                    return Watermark.UNKNOWN;
                }
                if (min == null || t.watermark.isBefore(min)) {
                    min = t.watermark;
                }
            }
        }
        return min == null ? Watermark.NONE : Watermark.at(min);
    }

    /** The end offsets of the partitions with a claim to check: read now when a batch came since the last read began. */
    private Map<Integer, Long> ends(boolean mayRead) {
        Set<Integer> partitions = new TreeSet<>();
        tasks.forEach((partition, t) -> {
            if (t.claimToCheck()) {
                partitions.add(partition);
            }
        });
        if (!mayRead || (receivedAtRead == received && ends.keySet().containsAll(partitions))) {
            return ends;
        }
        long receivedBefore = received;
        endReads++;
        Optional<Map<Integer, Long>> read = inputEnds.endOffsets(partitions);
        if (read.isPresent()) {
            ends = Map.copyOf(read.get());
            receivedAtRead = receivedBefore;
        } else {
            // No claim is taken without an answer; the next decision asks again.
            ends = Map.of();
            receivedAtRead = -1;
        }
        return ends;
    }

    /**
     * For a log line: the tasks holding the watermark where it is, as last checked (no end offsets are read): those
     * reading that have not said how far, the slowest reading ones, and idle ones whose partition held more than
     * their claim when its end was last read; e.g. {@code partition 3 reading, at 2025-03-04T05:06:07Z; partition 5 idle, claims offset 812 of
     * a partition ending at 815}.
     */
    String holdingBack() {
        // A task holds back when it counts as reading (reading, or idle with its partition grown past its claim) and
        // has said nothing of how far, or is the slowest of those.
        Map<Integer, Task> counted = new TreeMap<>();
        Instant min = null;
        for (Map.Entry<Integer, Task> e : tasks.entrySet()) {
            Task t = e.getValue();
            if (!t.idle || (t.claimToCheck() && ends.getOrDefault(e.getKey(), Long.MIN_VALUE) > t.readTo)) {
                counted.put(e.getKey(), t);
                if (t.watermark != null && (min == null || t.watermark.isBefore(min))) {
                    min = t.watermark;
                }
            }
        }
        List<String> holding = new ArrayList<>();
        for (Map.Entry<Integer, Task> e : counted.entrySet()) {
            Task t = e.getValue();
            if (t.watermark != null && !t.watermark.equals(min)) {
                continue;
            }
            String at = t.watermark == null ? "nothing said of how far" : "at " + t.watermark;
            holding.add("partition " + e.getKey() + (t.idle
                    ? " idle, claims offset " + t.readTo + " of a partition ending at " + ends.get(e.getKey()) + ", " + at
                    : " reading, " + at));
        }
        return holding.isEmpty() ? "no task" : String.join("; ", holding);
    }

    /** How often end offsets were read (for tests). */
    long endReads() {
        return endReads;
    }

    /** @param throughBatch the key of the last inbox batch whose position these include */
    byte[] encode(long throughBatch) {
        BinaryWriter out = new BinaryWriter(16 + tasks.size() * 20);
        out.writeByte(FORMAT_V3);
        out.writeLong(throughBatch);
        out.writeInt(tasks.size());
        tasks.forEach((partition, t) -> {
            out.writeInt(partition);
            boolean hasReadTo = t.readTo != Position.UNKNOWN_OFFSET;
            out.writeByte((t.watermark != null ? HAS_WATERMARK : 0) | (t.idle ? IDLE : 0) | (hasReadTo ? HAS_READ_TO : 0));
            if (t.watermark != null) {
                out.writeLong(t.watermark.getEpochSecond());
                out.writeInt(t.watermark.getNano());
            }
            if (hasReadTo) {
                out.writeLong(t.readTo);
            }
        });
        return out.toByteArray();
    }

    /**
     * Restores what {@link #encode} wrote, in this format or an earlier one.
     *
     * @return the key of the last inbox batch the positions include; {@link #NO_BATCH} when not known
     */
    long restore(byte[] data) {
        tasks.clear();
        ends = Map.of();
        receivedAtRead = -1;
        if (data == null) {
            return NO_BATCH;
        }
        BinaryReader in = new BinaryReader(data);
        byte version = in.readByte();
        if (version != FORMAT_V1 && version != FORMAT_V2 && version != FORMAT_V3) {
            throw new IllegalStateException("unknown stage-1 positions format " + version);
        }
        long throughBatch = version >= FORMAT_V3 ? in.readLong() : NO_BATCH;
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Task t = new Task();
            int partition = in.readInt();
            int flags = in.readByte();
            if ((flags & HAS_WATERMARK) != 0) {
                t.watermark = Instant.ofEpochSecond(in.readLong(), in.readInt());
            }
            t.idle = (flags & IDLE) != 0;
            if (version >= FORMAT_V2 && (flags & HAS_READ_TO) != 0) {
                t.readTo = in.readLong();
            }
            tasks.put(partition, t);
        }
        return throughBatch;
    }
}
