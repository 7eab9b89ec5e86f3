package io.exportcounter.pipeline.order;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far in acceptance time each stage-1 task of this instance has read, so that a task running ahead of one on
 * another stream thread can let it catch up.
 *
 * <p>Stage 2 applies an entry only once every reading task has read past it, so whatever one task reads ahead of
 * the slowest waits in stage 2's memory. With several stream threads, the thread that also runs stage 2 reads its
 * partitions more slowly than the others, and over a long catch-up the gap would grow without bound, until stage 2
 * reaches its cap of waiting entries and gives up the order. When every reading task of
 * a stream thread is more than {@link #MAX_LEAD} ahead of the slowest reading task of the instance, on another
 * thread, the thread pauses before each record, a millisecond at a time and at most
 * {@value #MAX_PAUSE_PER_RECORD_MS} ms per record: its core goes to the thread that lags, which sets the pace of the
 * catch-up anyway. A thread with a task that is not ahead never pauses: that task could only fall further behind.
 *
 * <p>A task that is idle, or that has not read for {@value #STALE_AFTER_MS} ms (paused itself, or its thread
 * stuck), holds nobody.
 *
 * <p>Tasks of other instances are known only to stage 2. It tells every instance its watermark and how many entries
 * past it one task may have sent ({@link StageOnePace}, through a global store); a task past that quota has its
 * partition held back by its consumer ({@link #heldBack}; see InputLag) until the watermark catches up to within
 * half of it. Each task counts what it has read past the watermark itself, so a late watermark only holds it back
 * sooner. With two instances the one that also runs stage 2 reads its partitions more slowly, and in a backlog the
 * other could run weeks ahead. Partitions are held back one by one, not threads paused: a thread that sleeps polls
 * rarely, and its partitions that are not ahead would starve too. The quota counts what a task has read, not what
 * stage 2 holds of it, since the batches already on their way keep coming for seconds after a pause (see
 * docs/decisions.md). What stage 2 said last counts for {@value #PACE_VALID_MS} ms (it says
 * it again every second while it sets a quota), so a stage 2 that has gone holds nobody back for long.
 */
public final class StageOneLeads {
    /** How far ahead of the slowest task on another thread a task may read. */
    static final Duration MAX_LEAD = Duration.ofHours(1);
    static final long MAX_PAUSE_PER_RECORD_MS = 5;
    static final long STALE_AFTER_MS = 1_000;
    static final long PACE_VALID_MS = 5_000;

    /** One task's progress: written by its own stream thread, read by the others. */
    public static final class Slot {
        final int partition;
        final String thread;
        volatile long watermarkMs = Long.MIN_VALUE;
        volatile boolean idle;
        volatile long updatedMs;
        /** Set by the task: it has read its quota past stage 2's watermark. */
        volatile boolean holdBack;

        /** Whether the task holds its partition back. */
        public boolean holdsBack() {
            return holdBack;
        }

        /** Sets whether the task holds its partition back; true when it starts to. */
        public boolean holdBack(boolean hold) {
            boolean starts = hold && !holdBack;
            holdBack = hold;
            return starts;
        }

        Slot(int partition, String thread, long nowMs) {
            this.partition = partition;
            this.thread = thread;
            this.updatedMs = nowMs;
        }
    }

    private final ConcurrentHashMap<Integer, Slot> slots = new ConcurrentHashMap<>();
    /**
     * Whether the tasks run on more than one thread. With one (the default), no task can wait for another, and
     * {@link #lead} answers without looking at them: it is asked before every record.
     */
    private volatile boolean severalThreads;
    /** What stage 2 said last (from the global store's thread), and when it was heard. */
    private volatile StageOnePace pace = StageOnePace.NONE;
    private volatile long paceHeardMs;

    /** A task of {@code partition} starts on the calling stream thread. */
    public synchronized Slot join(int partition, long nowMs) {
        Slot s = new Slot(partition, Thread.currentThread().getName(), nowMs);
        slots.put(partition, s);
        countThreads();
        return s;
    }

    /** The task of the slot is closed (moved away, or the instance stops). */
    public synchronized void leave(Slot s) {
        slots.remove(s.partition, s);
        countThreads();
    }

    private void countThreads() {
        severalThreads = slots.values().stream().map(s -> s.thread).distinct().count() > 1;
    }

    /** The task has read up to {@code watermarkMs} of acceptance time (or is {@code idle}), at {@code nowMs}. */
    public static void report(Slot s, long watermarkMs, boolean idle, long nowMs) {
        s.watermarkMs = watermarkMs;
        s.idle = idle;
        s.updatedMs = nowMs;
    }

    /** Stage 2's watermark and quota, heard at {@code nowMs}. */
    public void paced(StageOnePace pace, long nowMs) {
        this.pace = pace;
        this.paceHeardMs = nowMs;
    }

    /** What stage 2 said last, if within {@value #PACE_VALID_MS} ms; else {@link StageOnePace#NONE}. */
    public StageOnePace pace(long nowMs) {
        StageOnePace p = pace;
        return nowMs - paceHeardMs <= PACE_VALID_MS ? p : StageOnePace.NONE;
    }

    /** Whether the consumer should fetch nothing more of {@code partition} for now (its task said so). */
    public boolean heldBack(int partition) {
        Slot s = slots.get(partition);
        return s != null && s.holdBack;
    }

    /**
     * How far, in milliseconds of acceptance time, the slowest reading task on the calling thread (that of
     * {@code self}) is ahead of the slowest of the instance; 0 when no other task is known, or when the slowest
     * runs on the calling thread. A thread pauses as a whole, so it pauses only when all its tasks are ahead.
     */
    public long lead(Slot self, long nowMs) {
        if (!severalThreads) {
            return 0;
        }
        Slot slowest = null;
        long slowestHere = Long.MAX_VALUE;
        for (Slot s : slots.values()) {
            if (!isReading(s, nowMs)) {
                continue;
            }
            if (s.thread.equals(self.thread)) {
                slowestHere = Math.min(slowestHere, s.watermarkMs);
            }
            if (slowest == null || s.watermarkMs < slowest.watermarkMs) {
                slowest = s;
            }
        }
        if (slowest == null || slowest.thread.equals(self.thread) || slowestHere == Long.MAX_VALUE) {
            return 0;
        }
        return slowestHere - slowest.watermarkMs;
    }

    private static boolean isReading(Slot s, long nowMs) {
        return !s.idle && nowMs - s.updatedMs <= STALE_AFTER_MS && s.watermarkMs != Long.MIN_VALUE;
    }

    /**
     * Pauses the calling thread while {@code self} is too far ahead, at most {@value #MAX_PAUSE_PER_RECORD_MS} ms.
     *
     * @return the milliseconds it paused
     */
    public long pauseWhileAhead(Slot self, long nowMs) {
        long paused = 0;
        while (paused < MAX_PAUSE_PER_RECORD_MS && lead(self, nowMs + paused) > MAX_LEAD.toMillis()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            paused++;
        }
        return paused;
    }
}
