package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.order.StageOneLeads;

/**
 * What stage 2 tells the stage-1 tasks of every instance: the watermark, and how many entries past it each may
 * have read (see {@link StageOneLeads}).
 *
 * <p>A quota applies only once a quarter of the cap of waiting entries waits, or a reading task has not said how
 * far it has read (starting, or moving between instances: everything waits for it), and until an eighth waits:
 * each task then gets its share of three quarters of the cap, and the slowest has nothing past the watermark, so
 * what waits stays under the cap however unevenly the instances read. A quota at all times would hold back one
 * instance's partitions for nothing. While it paces, the pace is said when it changes, at most every
 * {@value #MIN_INTERVAL_MS} ms, and every second; otherwise only once, that there is no quota (the watermark alone
 * holds nobody back, and it moves with every round).
 */
public final class StageOnePacer {
    public static final long MIN_INTERVAL_MS = 100;
    static final long REPEAT_MS = 1_000;

    private final long maxWaiting;
    /** What was last said, and when; whether tasks are asked to keep within a quota. */
    private StageOnePace said;
    private long saidMs;
    private boolean pacing;

    public StageOnePacer(long maxWaiting) {
        this.maxWaiting = maxWaiting;
    }

    /** Forgets what was said: after a restart or a rebalance it is said again. */
    public void reset() {
        said = null;
        pacing = false;
    }

    /**
     * The pace to say now, or null when nothing needs saying.
     *
     * @param watermark  as the inbox has it
     * @param partitions partitions of the declarations topic (at least 1)
     */
    public StageOnePace next(long now, long waiting, Watermark watermark, int partitions) {
        if (waiting > maxWaiting / 4 || watermark.equals(Watermark.UNKNOWN)) {
            pacing = true;
        } else if (waiting < maxWaiting / 8) {
            pacing = false;
        }
        StageOnePace pace = new StageOnePace(watermark, pacing ? Quota.of(Math.max(1, maxWaiting * 3 / 4 / partitions)) : Quota.UNLIMITED);
        boolean say = pacing
                ? (!pace.equals(said) && now - saidMs >= MIN_INTERVAL_MS) || now - saidMs >= REPEAT_MS
                : said == null || !said.quota().isUnlimited();
        if (!say) {
            return null;
        }
        said = pace;
        saidMs = now;
        return pace;
    }
}
