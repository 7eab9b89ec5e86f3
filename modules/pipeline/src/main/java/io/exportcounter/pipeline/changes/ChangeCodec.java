package io.exportcounter.pipeline.changes;

import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of change entries. Internal to the pipeline (state stores and the stage-1 to
 * stage-2 topic), never seen by users, so it trades readability for size and speed. A leading
 * format version lets a later release read what an earlier one wrote.
 */
public final class ChangeCodec {
    static final byte FORMAT_V1 = 1;

    private ChangeCodec() {
    }

    private static final int HAS_REMOVED = 1;
    private static final int HAS_ADDED = 2;

    /** Appends one entry, without header, to a buffer that already holds entries. */
    public static void writeEntry(BinaryWriter out, ChangeEntry e) {
        out.writeByte((e.removed() != null ? HAS_REMOVED : 0) | (e.added() != null ? HAS_ADDED : 0));
        out.writeUTF(e.declarationId());
        if (e.removed() != null) {
            e.removed().writeTo(out);
        }
        if (e.added() != null) {
            e.added().writeTo(out);
        }
    }

    /**
     * A batch is the format version followed by entries back to back, with no count, so that stage 1
     * can build one by concatenating the entry blocks it keeps in its store, without decoding them.
     */
    public static byte[] batchHeader() {
        return new byte[] {FORMAT_V1};
    }

    public static byte[] encodeBatch(List<ChangeEntry> entries) {
        BinaryWriter out = new BinaryWriter(64 + entries.size() * 72);
        out.writeByte(FORMAT_V1);
        for (ChangeEntry e : entries) {
            writeEntry(out, e);
        }
        return out.toByteArray();
    }

    public static List<ChangeEntry> decodeBatch(byte[] data) {
        BinaryReader in = new BinaryReader(data);
        List<ChangeEntry> entries = new ArrayList<>(data.length / 64 + 1);
        byte version = in.readByte();
        if (version != FORMAT_V1) {
            throw new IllegalStateException("unknown change batch format " + version);
        }
        while (in.available() > 0) {
            entries.add(readEntry(in));
        }
        return entries;
    }

    private static ChangeEntry readEntry(BinaryReader in) {
        int flags = in.readByte();
        String id = in.readUTF();
        Contribution removed = (flags & HAS_REMOVED) != 0 ? Contribution.readFrom(in) : null;
        Contribution added = (flags & HAS_ADDED) != 0 ? Contribution.readFrom(in) : null;
        return new ChangeEntry(id, removed, added);
    }

    public static void writeContribution(BinaryWriter out, Contribution c) {
        c.writeTo(out);
    }

    public static Contribution decodeContribution(BinaryReader in) {
        return Contribution.readFrom(in);
    }
}
