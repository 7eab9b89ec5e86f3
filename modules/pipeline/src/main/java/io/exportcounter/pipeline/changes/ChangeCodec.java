package io.exportcounter.pipeline.changes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of change entries. Internal to the pipeline (state stores and the stage-1 to
 * stage-2 topic), never seen by users, so it trades readability for size and speed. A leading
 * format version lets a later release read what an earlier one wrote.
 */
public final class ChangeCodec {
    /** Entries only. Still read: batches written before an upgrade may wait in the topic or the inbox. */
    static final byte FORMAT_V1 = 1;
    /** A {@link Position} header, then entries. */
    static final byte FORMAT_V2 = 2;
    /** As V2, and an entry may carry the latest time of the declaration's earlier entries. Still read. */
    static final byte FORMAT_V3 = 3;
    /** As V2, and an entry carries its revision and its {@link ChangeEntry#orderedAt()} (each only when not the default). Still read. */
    static final byte FORMAT_V4 = 4;
    /** As V4, and the position may carry an idle task's {@link Position#readTo()}. */
    static final byte FORMAT_V5 = 5;

    private ChangeCodec() {
    }

    private static final int HAS_REMOVED = 1;
    private static final int HAS_ADDED = 2;
    /** V3: the latest time of the declaration's earlier entries follows. */
    private static final int HAS_HELD_UNTIL = 4;
    /** V4: {@link ChangeEntry#orderedAt()} follows (absent: the latest contribution's acceptance time). */
    private static final int HAS_ORDERED_AT = 8;
    /** V4: the revision follows (absent: 0). */
    private static final int HAS_REVISION = 16;

    private static final int HAS_WATERMARK = 1;
    private static final int IDLE = 2;
    /** V5: the offset the idle task had read its partition to follows. */
    private static final int HAS_READ_TO = 4;

    /**
     * Where the stage-1 task that wrote a batch stands, so that stage 2 can apply entries in acceptance
     * order across tasks (see {@code TotalsProcessor}).
     *
     * @param partition the task's input partition; {@link #NONE} when the batch comes from no task
     * @param watermark the latest acceptance time the task had read when it flushed: every entry it made
     *                  from declarations up to that time is in this batch or an earlier one. Null when
     *                  more batches of the same flush follow (only the last one may move the watermark).
     * @param idle      the task has read nothing for a while and its consumer has nothing more for it, so it holds
     *                  nobody back until it reads again, while its partition holds nothing past {@code readTo}
     * @param readTo    with {@code idle}, the offset its consumer had read its partition to when it said so (the next
     *                  one it would read: with no lag, the end of the partition, read_committed); stage 2 checks the
     *                  claim against the partition's end (see StageOnePositions). {@link #UNKNOWN_OFFSET} when not
     *                  known (no consumer to ask, a batch of an earlier format), and always when not idle.
     */
    public record Position(int partition, Instant watermark, boolean idle, long readTo) {
        public static final int NONE = -1;
        public static final long UNKNOWN_OFFSET = -1;
        public static final Position UNKNOWN = new Position(NONE, null, false);

        public Position {
            if (!idle || readTo < 0) {
                readTo = UNKNOWN_OFFSET;
            }
        }

        /** A position whose idle claim, if any, does not say how far the task has read. */
        public Position(int partition, Instant watermark, boolean idle) {
            this(partition, watermark, idle, UNKNOWN_OFFSET);
        }
    }

    /** A decoded batch. */
    public record Batch(Position position, List<ChangeEntry> entries) {
    }

    /** Appends one entry, without header, to a buffer that already holds entries. */
    public static void writeEntry(BinaryWriter out, ChangeEntry e) {
        boolean ownTime = e.orderedAt().equals(e.latest().acceptedAt());
        out.writeByte((e.removed() != null ? HAS_REMOVED : 0) | (e.added() != null ? HAS_ADDED : 0)
                | (ownTime ? 0 : HAS_ORDERED_AT) | (e.revision() != 0 ? HAS_REVISION : 0));
        out.writeUTF(e.declarationId());
        if (e.revision() != 0) {
            out.writeInt(e.revision());
        }
        if (!ownTime) {
            out.writeLong(e.orderedAt().getEpochSecond());
            out.writeInt(e.orderedAt().getNano());
        }
        if (e.removed() != null) {
            e.removed().writeTo(out);
        }
        if (e.added() != null) {
            e.added().writeTo(out);
        }
    }

    /**
     * A batch is the format version and a position, followed by entries back to back with no count, so
     * that stage 1 can build one by concatenating the entry blocks it keeps in its store, without
     * decoding them.
     */
    public static void writeBatchHeader(BinaryWriter out, Position p) {
        out.writeByte(FORMAT_V5);
        out.writeInt(p.partition());
        boolean hasReadTo = p.readTo() != Position.UNKNOWN_OFFSET;
        out.writeByte((p.watermark() != null ? HAS_WATERMARK : 0) | (p.idle() ? IDLE : 0) | (hasReadTo ? HAS_READ_TO : 0));
        if (p.watermark() != null) {
            out.writeLong(p.watermark().getEpochSecond());
            out.writeInt(p.watermark().getNano());
        }
        if (hasReadTo) {
            out.writeLong(p.readTo());
        }
    }

    public static byte[] encodeBatch(Position p, List<ChangeEntry> entries) {
        BinaryWriter out = new BinaryWriter(64 + entries.size() * 72);
        writeBatchHeader(out, p);
        for (ChangeEntry e : entries) {
            writeEntry(out, e);
        }
        return out.toByteArray();
    }

    /** A batch from no stage-1 task, with no position (tests feed stage 2 these). */
    public static byte[] encodeBatch(List<ChangeEntry> entries) {
        return encodeBatch(Position.UNKNOWN, entries);
    }

    public static Batch decode(byte[] data) {
        BinaryReader in = new BinaryReader(data);
        byte version = in.readByte();
        Position position;
        if (version == FORMAT_V1) {
            position = Position.UNKNOWN;
        } else if (version >= FORMAT_V2 && version <= FORMAT_V5) {
            int partition = in.readInt();
            int flags = in.readByte();
            Instant watermark = (flags & HAS_WATERMARK) != 0 ? readInstant(in) : null;
            long readTo = version >= FORMAT_V5 && (flags & HAS_READ_TO) != 0 ? in.readLong() : Position.UNKNOWN_OFFSET;
            position = new Position(partition, watermark, (flags & IDLE) != 0, readTo);
        } else {
            throw new IllegalStateException("unknown change batch format " + version);
        }
        List<ChangeEntry> entries = new ArrayList<>(in.available() / 64 + 1);
        while (in.available() > 0) {
            entries.add(readEntry(in, version));
        }
        return new Batch(position, entries);
    }

    /**
     * Reads one entry. A V4 batch may hold V3 entries (stage 1's pending store keeps entries without a header, and
     * a flush after an upgrade puts the new header before them), so V4 reads the V3 flag too. V5 entries are V4 ones.
     */
    private static ChangeEntry readEntry(BinaryReader in, byte version) {
        int flags = in.readByte();
        String id = in.readUTF();
        int revision = version >= FORMAT_V4 && (flags & HAS_REVISION) != 0 ? in.readInt() : 0;
        Instant orderedAt = version >= FORMAT_V4 && (flags & HAS_ORDERED_AT) != 0 ? readInstant(in) : null;
        Instant heldUntil = version >= FORMAT_V3 && (flags & HAS_HELD_UNTIL) != 0 ? readInstant(in) : null;
        Contribution removed = (flags & HAS_REMOVED) != 0 ? Contribution.readFrom(in) : null;
        Contribution added = (flags & HAS_ADDED) != 0 ? Contribution.readFrom(in) : null;
        if (heldUntil != null) {
            // A V3 entry waits for the later of its own time and its declaration's earlier entries'.
            Instant own = (added != null ? added : removed).acceptedAt();
            orderedAt = heldUntil.isAfter(own) ? heldUntil : own;
        }
        return new ChangeEntry(id, revision, removed, added, orderedAt);
    }

    private static Instant readInstant(BinaryReader in) {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    public static void writeContribution(BinaryWriter out, Contribution c) {
        c.writeTo(out);
    }

    public static Contribution decodeContribution(BinaryReader in) {
        return Contribution.readFrom(in);
    }
}
