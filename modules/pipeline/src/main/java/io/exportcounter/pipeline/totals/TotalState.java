package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The running state of one total in stage 2: exact cents, live declarations, the latest acceptedAt
 * counted into it, and distinct exporters with a live declaration (kept for NATIONAL and
 * EXPORTER_SIZE). Mutable: stage 2 applies a batch to a working copy and stores it once.
 */
public final class TotalState {
    private static final byte FORMAT_V1 = 1;
    private static final int SIZE = 1 + 8 + 8 + 8 + 4 + 8;
    private static final long NO_AS_OF = Long.MIN_VALUE;

    long cents;
    long declarations;
    long asOfSecond = NO_AS_OF;
    int asOfNano;
    long exporters;
    /** Stage 2's bookkeeping, never stored: the store key, and whether the current round moved it. */
    String key;
    boolean dirty;
    /** Whether milestones watch its moves entry by entry: {@link #UNKNOWN} until stage 2 asks the rules once. */
    byte watched = UNKNOWN;
    static final byte UNKNOWN = -1;

    public long cents() {
        return cents;
    }

    public long declarations() {
        return declarations;
    }

    public long exporters() {
        return exporters;
    }

    /** Latest acceptedAt counted into the total, or null when nothing ever was. */
    public Instant asOf() {
        return asOfSecond == NO_AS_OF ? null : Instant.ofEpochSecond(asOfSecond, asOfNano);
    }

    /** The contract view of this total stored under {@code key}, with {@code asOf} written in {@code zone}. */
    public Total toContract(String key, ZoneId zone) {
        String[] parts = key.split("\\|", 3);
        Dimension dimension = Dimension.valueOf(parts[1]);
        Instant asOf = asOf();
        OffsetDateTime asOfLocal = asOf == null ? null : OffsetDateTime.ofInstant(asOf, zone);
        boolean hasExporters = dimension == Dimension.NATIONAL || dimension == Dimension.EXPORTER_SIZE;
        return new Total(parts[0], dimension, parts[2], Money.fromCents(cents), declarations, asOfLocal,
                hasExporters ? exporters : null);
    }

    void add(long signedCents, int sign, Instant acceptedAt) {
        cents = Math.addExact(cents, signedCents);
        declarations += sign;
        if (sign > 0 && (asOfSecond == NO_AS_OF || acceptedAt.getEpochSecond() > asOfSecond
                || (acceptedAt.getEpochSecond() == asOfSecond && acceptedAt.getNano() > asOfNano))) {
            asOfSecond = acceptedAt.getEpochSecond();
            asOfNano = acceptedAt.getNano();
        }
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE).put(FORMAT_V1).putLong(cents).putLong(declarations)
                .putLong(asOfSecond).putInt(asOfNano).putLong(exporters).array();
    }

    static TotalState decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        byte version = b.get();
        if (version != FORMAT_V1) {
            throw new IllegalStateException("unknown total state format " + version);
        }
        TotalState s = new TotalState();
        s.cents = b.getLong();
        s.declarations = b.getLong();
        s.asOfSecond = b.getLong();
        s.asOfNano = b.getInt();
        s.exporters = b.getLong();
        return s;
    }

    public static Serde<TotalState> serde() {
        Serializer<TotalState> ser = (topic, v) -> v == null ? null : v.encode();
        Deserializer<TotalState> de = (topic, b) -> b == null ? null : decode(b);
        return Serdes.serdeFrom(ser, de);
    }
}
