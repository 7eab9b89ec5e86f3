package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;

/**
 * What stage 2 tells the stage-1 tasks of every instance: how far every reading task has read (the watermark it
 * applies entries up to), and how many entries past it one task may have sent. A task with more stops reading until
 * the watermark catches up (see {@link StageOneLeads#heldBack}).
 *
 * @param watermark its instant is kept to the millisecond, as the pace topic carries it
 * @param quota     entries a task may have read past the watermark
 */
public record StageOnePace(Watermark watermark, Quota quota) {
    /** Nothing said: no watermark, no limit. */
    public static final StageOnePace NONE = new StageOnePace(Watermark.NONE, Quota.UNLIMITED);
    private static final byte FORMAT_V1 = 1;
    private static final int SIZE = 17;

    public StageOnePace {
        watermark = Watermark.ofMillis(watermark.toMillis());
    }

    public byte[] encode() {
        BinaryWriter out = new BinaryWriter(SIZE);
        out.writeByte(FORMAT_V1);
        out.writeLong(watermark.toMillis());
        out.writeLong(quota.entries());
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not what {@link #encode} writes */
    public static StageOnePace decode(byte[] data) {
        if (data == null || data.length != SIZE || data[0] != FORMAT_V1) {
            throw new IllegalArgumentException("not a stage-1 pace record of format " + FORMAT_V1);
        }
        BinaryReader in = new BinaryReader(data);
        in.readByte();
        return new StageOnePace(Watermark.ofMillis(in.readLong()), Quota.of(in.readLong()));
    }
}
