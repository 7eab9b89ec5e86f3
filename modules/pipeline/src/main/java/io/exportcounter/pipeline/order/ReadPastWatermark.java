package io.exportcounter.pipeline.order;

import java.util.ArrayDeque;

/**
 * How many declarations one stage-1 task has read past stage 2's watermark, and so whether its partition should be
 * held back (see {@link StageOneLeads}). The task notes, at each flush, how many it had read by then and the latest
 * acceptance time among them; what it has read past a watermark is what it read after the last note at or before it.
 */
public final class ReadPastWatermark {
    /** Notes kept at most: one per flush in which the acceptance time moved, until the watermark passes them. */
    static final int MAX_NOTES = 4096;

    /** {latest acceptance time read (epoch ms), declarations read by then}, oldest first, times increasing. */
    private final ArrayDeque<long[]> notes = new ArrayDeque<>();
    private long read;
    private boolean holding;

    /** One more declaration read. */
    public void read() {
        read++;
    }

    /** Notes that by now the latest acceptance time read is {@code watermarkMs}. */
    public void note(long watermarkMs) {
        long[] last = notes.peekLast();
        if (last != null && last[0] >= watermarkMs) {
            return;
        }
        if (notes.size() == MAX_NOTES) {
            // Stage 2 has said nothing for long: forget the oldest, which can only count fewer as read past it.
            notes.pollFirst();
        }
        notes.addLast(new long[] {watermarkMs, read});
    }

    /** Declarations read after the last note at or before {@code watermarkMs} (all read, when none is). */
    long pastWatermark(long watermarkMs) {
        // Keep the last note at or before the watermark as the base; earlier ones are no longer needed.
        while (notes.size() > 1) {
            long[] first = notes.pollFirst();
            if (notes.peekFirst()[0] > watermarkMs) {
                notes.addFirst(first);
                break;
            }
        }
        long[] first = notes.peekFirst();
        return first != null && first[0] <= watermarkMs ? read - first[1] : read;
    }

    /**
     * Whether to hold the partition back under {@code pace}: from more than its quota read past the watermark until
     * fewer than half of it; never without a watermark (everything read counts as past an unknown one).
     */
    public boolean holdBack(StageOnePace pace) {
        Watermark w = pace.watermark();
        if (!w.holdsBack()) {
            holding = false;
            return false;
        }
        long past = w.instant().map(t -> pastWatermark(t.toEpochMilli())).orElse(read);
        if (pace.quota().exceededBy(past)) {
            holding = true;
        } else if (pace.quota().wellWithin(past)) {
            holding = false;
        }
        return holding;
    }
}
