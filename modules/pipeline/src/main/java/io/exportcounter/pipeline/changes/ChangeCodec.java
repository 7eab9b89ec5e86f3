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
    /**
     * As V2, and an entry may carry its {@link ChangeEntry#heldUntil()}. A V2 entry has none: read as a first
     * change, an amendment written before the upgrade could be applied before what it amends if both waited
     * across the upgrade (the totals end the same; only a milestone could name another declaration).
     */
    static final byte FORMAT_V3 = 3;

    private ChangeCodec() {
    }

    private static final int HAS_REMOVED = 1;
    private static final int HAS_ADDED = 2;
    /** V3: an acceptance time follows, {@link ChangeEntry#heldUntil()}. */
    private static final int HAS_HELD_UNTIL = 4;

    private static final int HAS_WATERMARK = 1;
    private static final int IDLE = 2;

    /**
     * Where the stage-1 task that wrote a batch stands, so that stage 2 can apply entries in acceptance
     * order across tasks (see {@code TotalsProcessor}).
     *
     * @param partition the task's input partition; {@link #NONE} when the batch comes from no task
     * @param watermark the latest acceptance time the task had read when it flushed: every entry it made
     *                  from declarations up to that time is in this batch or an earlier one. Null when
     *                  more batches of the same flush follow (only the last one may move the watermark).
     * @param idle      the task has read nothing for a while, so it holds nobody back until it reads again
     */
    public record Position(int partition, Instant watermark, boolean idle) {
        public static final int NONE = -1;
        public static final Position UNKNOWN = new Position(NONE, null, false);
    }

    /** A decoded batch. */
    public record Batch(Position position, List<ChangeEntry> entries) {
    }

    /** Appends one entry, without header, to a buffer that already holds entries. */
    public static void writeEntry(BinaryWriter out, ChangeEntry e) {
        out.writeByte((e.removed() != null ? HAS_REMOVED : 0) | (e.added() != null ? HAS_ADDED : 0)
                | (e.heldUntil() != null ? HAS_HELD_UNTIL : 0));
        out.writeUTF(e.declarationId());
        if (e.heldUntil() != null) {
            out.writeLong(e.heldUntil().getEpochSecond());
            out.writeInt(e.heldUntil().getNano());
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
        out.writeByte(FORMAT_V3);
        out.writeInt(p.partition());
        out.writeByte((p.watermark() != null ? HAS_WATERMARK : 0) | (p.idle() ? IDLE : 0));
        if (p.watermark() != null) {
            out.writeLong(p.watermark().getEpochSecond());
            out.writeInt(p.watermark().getNano());
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
        } else if (version == FORMAT_V2 || version == FORMAT_V3) {
            int partition = in.readInt();
            int flags = in.readByte();
            Instant watermark = (flags & HAS_WATERMARK) != 0 ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            position = new Position(partition, watermark, (flags & IDLE) != 0);
        } else {
            throw new IllegalStateException("unknown change batch format " + version);
        }
        List<ChangeEntry> entries = new ArrayList<>(in.available() / 64 + 1);
        while (in.available() > 0) {
            entries.add(readEntry(in, version == FORMAT_V3));
        }
        return new Batch(position, entries);
    }

    private static ChangeEntry readEntry(BinaryReader in, boolean v3) {
        int flags = in.readByte();
        String id = in.readUTF();
        Instant heldUntil = v3 && (flags & HAS_HELD_UNTIL) != 0 ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        Contribution removed = (flags & HAS_REMOVED) != 0 ? Contribution.readFrom(in) : null;
        Contribution added = (flags & HAS_ADDED) != 0 ? Contribution.readFrom(in) : null;
        return new ChangeEntry(id, removed, added, heldUntil);
    }

    public static void writeContribution(BinaryWriter out, Contribution c) {
        c.writeTo(out);
    }

    public static Contribution decodeContribution(BinaryReader in) {
        return Contribution.readFrom(in);
    }
}
