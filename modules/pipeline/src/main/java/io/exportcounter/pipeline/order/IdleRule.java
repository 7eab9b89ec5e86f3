package io.exportcounter.pipeline.order;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When a stage-1 task tells stage 2 it is idle, so that stage 2 stops waiting for it: once it has read nothing for
 * {@value #IDLE_AFTER_FLUSHES} flushes in a row and for a while, and its consumer has nothing more for its partition.
 * All three are needed: the time alone would take a task whose flush a long punctuation of another task held up
 * (its input waiting in the buffer) for idle, but a flush always follows a chance to read; and a task whose buffer
 * ran dry between two polls while its partition still holds a backlog is not idle.
 */
public final class IdleRule {
    /** Flushes in a row without a read. */
    static final int IDLE_AFTER_FLUSHES = 5;
    /** And at least this long without a read: short, since at a slow live pace other tasks' entries wait that long. */
    static final long IDLE_AFTER_MIN_MS = 250;
    /**
     * Before its first read a task waits this long: the tasks of an instance start over a second or more, and their
     * first fetch may take as long; a task taken for idle then would let the others run ahead of it.
     */
    static final long IDLE_BEFORE_FIRST_READ_MS = 5_000;

    private final long idleAfterMs;
    private long lastReadMs;
    private boolean readSinceStart;
    private int flushesWithoutRead;
    private boolean idle;

    /** @param flushInterval how often the task flushes */
    public IdleRule(Duration flushInterval) {
        this.idleAfterMs = Math.max(IDLE_AFTER_MIN_MS, IDLE_AFTER_FLUSHES * flushInterval.toMillis());
    }

    /** The task starts (or starts again after a rebalance) at {@code nowMs}. */
    public void start(long nowMs) {
        lastReadMs = nowMs;
        readSinceStart = false;
        flushesWithoutRead = 0;
        idle = false;
    }

    /** The task read a record at {@code nowMs}: it is not idle. */
    public void read(long nowMs) {
        lastReadMs = nowMs;
        readSinceStart = true;
        flushesWithoutRead = -1;
        idle = false;
    }

    /** The task flushes (before it decides whether to say it is idle). */
    public void flushed() {
        flushesWithoutRead++;
    }

    /** Whether stage 2 has been told the task is idle since its last read. */
    public boolean idle() {
        return idle;
    }

    /**
     * Whether the task becomes idle now (once until its next read).
     *
     * @param caughtUp whether its consumer has read its partition to the end
     */
    public boolean becomesIdle(long nowMs, BooleanSupplier caughtUp) {
        if (idle || flushesWithoutRead < IDLE_AFTER_FLUSHES
                || nowMs - lastReadMs < (readSinceStart ? idleAfterMs : IDLE_BEFORE_FIRST_READ_MS)
                || !caughtUp.getAsBoolean()) {
            return false;
        }
        idle = true;
        return true;
    }
}
