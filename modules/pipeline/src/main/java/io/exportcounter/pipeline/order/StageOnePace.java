package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;

/**
 * What stage 2 tells the stage-1 tasks of every instance: how far every reading task has read (the watermark it
 * applies entries up to), and how many entries past it one task may have sent. A task with more stops reading until
 * the watermark catches up (see {@link StageOneLeads#heldBack}).
 *
 * @param watermarkMs the watermark in epoch milliseconds; {@link Long#MIN_VALUE} while no task holds entries back,
 *                    {@link #BEFORE_ANYTHING} while a reading task has not said how far it has read
 * @param quota       entries a task may have read past the watermark
 */
public record StageOnePace(long watermarkMs, long quota) {
    public static final StageOnePace NONE = new StageOnePace(Long.MIN_VALUE, Long.MAX_VALUE);
    /** A watermark before anything read: a reading task has not said how far it has read. */
    public static final long BEFORE_ANYTHING = Long.MIN_VALUE + 1;
    private static final byte FORMAT_V1 = 1;
    private static final int SIZE = 17;

    public boolean hasWatermark() {
        return watermarkMs != Long.MIN_VALUE;
    }

    public byte[] encode() {
        BinaryWriter out = new BinaryWriter(SIZE);
        out.writeByte(FORMAT_V1);
        out.writeLong(watermarkMs);
        out.writeLong(quota);
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not what {@link #encode} writes */
    public static StageOnePace decode(byte[] data) {
        if (data == null || data.length != SIZE || data[0] != FORMAT_V1) {
            throw new IllegalArgumentException("not a stage-1 pace record of format " + FORMAT_V1);
        }
        BinaryReader in = new BinaryReader(data);
        in.readByte();
        return new StageOnePace(in.readLong(), in.readLong());
    }
}
