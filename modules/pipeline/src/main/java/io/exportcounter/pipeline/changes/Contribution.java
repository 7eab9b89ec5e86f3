package io.exportcounter.pipeline.changes;

import io.exportcounter.contract.ExporterSize;
import java.time.Instant;

/**
 * What one counted declaration adds to the totals: its USD cents, acceptance instant and the member it
 * belongs to in every dimension. The members are resolved once, when the declaration is counted, and
 * kept, so that removing it later (AMEND, CANCEL) takes out exactly what went in even if the
 * classification tables changed in between.
 */
public record Contribution(
        long cents,
        Instant acceptedAt,
        String exporterId,
        ExporterSize exporterSize,
        String category,
        String destination,
        String region) {

    private static final ExporterSize[] SIZES = ExporterSize.values();

    void writeTo(BinaryWriter out) {
        out.writeLong(cents);
        out.writeLong(acceptedAt.getEpochSecond());
        out.writeInt(acceptedAt.getNano());
        out.writeUTF(exporterId);
        out.writeByte(exporterSize.ordinal());
        out.writeUTF(category);
        out.writeUTF(destination);
        out.writeUTF(region);
    }

    static Contribution readFrom(BinaryReader in) {
        long cents = in.readLong();
        Instant acceptedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String exporterId = in.readUTF();
        ExporterSize size = SIZES[in.readByte()];
        return new Contribution(cents, acceptedAt, exporterId, size, in.readCommonUTF(), in.readCommonUTF(), in.readCommonUTF());
    }
}
