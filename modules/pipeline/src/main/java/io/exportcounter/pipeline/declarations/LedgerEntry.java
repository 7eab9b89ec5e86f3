package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;

/**
 * The state of one declaration: the highest revision applied and what it counts for now.
 *
 * @param contribution what the declaration adds to the totals; null unless {@link Status#COUNTED}
 * @param waitingOn    the currency whose rate it waits for; null unless {@link Status#WAITING}
 * @param lastChangeAt the place in time of the last change entry sent to stage 2 for it (null: none yet): its
 *                     next change entry is placed no earlier (see {@link ChangeEntry#orderedAt()})
 */
public record LedgerEntry(int revision, Status status, Contribution contribution, String waitingOn, Instant lastChangeAt) {

    public enum Status {
        /** Counted in the totals with {@link LedgerEntry#contribution()}. */
        COUNTED,
        /** Valid but waiting for an exchange rate; the declaration sits in the waiting store. */
        WAITING,
        /** Withdrawn: contributes nothing. */
        CANCELLED
    }

    private static final Status[] STATUSES = Status.values();
    private static final byte FORMAT_V1 = 1;
    /** V1 and the last change's acceptance time. */
    private static final byte FORMAT_V2 = 2;

    public LedgerEntry {
        if ((status == Status.COUNTED) != (contribution != null)) {
            throw new IllegalArgumentException("a contribution goes with COUNTED and only with it");
        }
        if ((status == Status.WAITING) != (waitingOn != null)) {
            throw new IllegalArgumentException("a currency waited for goes with WAITING and only with it");
        }
    }

    public static LedgerEntry counted(int revision, Contribution c) {
        return new LedgerEntry(revision, Status.COUNTED, c, null, null);
    }

    public static LedgerEntry waiting(int revision, String currency) {
        return new LedgerEntry(revision, Status.WAITING, null, currency, null);
    }

    public static LedgerEntry cancelled(int revision) {
        return new LedgerEntry(revision, Status.CANCELLED, null, null, null);
    }

    /** This entry, having sent stage 2 changes up to {@code at}. */
    public LedgerEntry withLastChangeAt(Instant at) {
        return new LedgerEntry(revision, status, contribution, waitingOn, at);
    }

    public byte[] encode() {
        BinaryWriter out = new BinaryWriter(96);
        write(out);
        return out.toByteArray();
    }

    /** Writes this entry to {@code out}; {@link #read} reads it back (entries are self-delimiting). */
    public void write(BinaryWriter out) {
        out.writeByte(FORMAT_V2);
        out.writeInt(revision);
        out.writeByte(status.ordinal());
        if (contribution != null) {
            ChangeCodec.writeContribution(out, contribution);
        }
        if (waitingOn != null) {
            out.writeUTF(waitingOn);
        }
        out.writeByte(lastChangeAt != null ? 1 : 0);
        if (lastChangeAt != null) {
            out.writeLong(lastChangeAt.getEpochSecond());
            out.writeInt(lastChangeAt.getNano());
        }
    }

    public static LedgerEntry decode(byte[] data) {
        return read(new BinaryReader(data));
    }

    public static LedgerEntry read(BinaryReader in) {
        byte version = in.readByte();
        if (version != FORMAT_V1 && version != FORMAT_V2) {
            throw new IllegalStateException("unknown ledger entry format " + version);
        }
        int revision = in.readInt();
        Status status = STATUSES[in.readByte()];
        Contribution c = status == Status.COUNTED ? ChangeCodec.decodeContribution(in) : null;
        String waitingOn = status == Status.WAITING ? in.readCommonUTF() : null;
        Instant lastChangeAt;
        if (version == FORMAT_V1) {
            // Written before the time was kept: the counted contribution's is the best there is.
            lastChangeAt = c == null ? null : c.acceptedAt();
        } else {
            lastChangeAt = in.readByte() != 0 ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        }
        return new LedgerEntry(revision, status, c, waitingOn, lastChangeAt);
    }
}
