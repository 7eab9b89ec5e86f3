package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.ChangeEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The entries stage 2 has received and not applied yet, batch by batch in arrival order, and which of
 * them a watermark lets through (see {@link StageOnePositions}).
 *
 * <p>A round costs in proportion to what arrived and what it releases, not to what keeps waiting:
 * a batch whose waiting entries are all later than the watermark is passed over whole. Entries
 * waiting for a task that lags can run into the hundreds of thousands during a catch-up, and a
 * round that looked at each of them again would stall stage 2.
 */
public final class InboxEntries {
    /** Entries per batch at most, so that a batch key and an entry's place make one sequence number. */
    static final int MAX_BATCH_ENTRIES = 1 << 16;

    /** A batch in the inbox with entries still to apply. */
    static final class Batch {
        final long key;
        final List<ChangeEntry> entries;
        final BitSet applied;
        int remaining;
        /** Not looked at by a round yet. */
        boolean fresh = true;
        /** The earliest place of one of its waiting entries ({@link ChangeEntry#orderedAt()}); null when none waits. */
        Instant earliestWaiting;
        /** Whether its applied set is in the inbox, and whether the current round applied any of its entries. */
        boolean appliedStored;
        boolean changed;

        Batch(long key, List<ChangeEntry> entries, BitSet applied) {
            if (entries.size() >= MAX_BATCH_ENTRIES) {
                throw new IllegalArgumentException("a change batch of " + entries.size() + " entries");
            }
            this.key = key;
            this.entries = entries;
            this.applied = applied;
            this.remaining = entries.size() - applied.cardinality();
        }
    }

    private final List<Batch> batches = new ArrayList<>();
    private long waiting;

    void clear() {
        batches.clear();
        waiting = 0;
    }

    Batch add(long key, List<ChangeEntry> entries, BitSet applied) {
        Batch b = new Batch(key, entries, applied);
        batches.add(b);
        return b;
    }

    /**
     * Marks applied and returns, in arrival order, every entry the watermark lets through (by its
     * {@link ChangeEntry#orderedAt()}). A declaration's entries are placed no earlier than its earlier ones, so an
     * amendment goes in the same round as what it amends or a later one, and no index of the waiting entries is needed.
     */
    List<ChangeEntry> release(Watermark watermark) {
        List<ChangeEntry> out = new ArrayList<>();
        long stillWaiting = 0;
        for (Batch b : batches) {
            b.changed = false;
            if (!b.fresh && (b.earliestWaiting == null || !watermark.lets(b.earliestWaiting))) {
                stillWaiting += b.remaining;
                continue;
            }
            Instant earliest = null;
            for (int i = b.applied.nextClearBit(0); i < b.entries.size(); i = b.applied.nextClearBit(i + 1)) {
                ChangeEntry e = b.entries.get(i);
                Instant due = e.orderedAt();
                if (watermark.lets(due)) {
                    b.applied.set(i);
                    b.remaining--;
                    b.changed = true;
                    out.add(e);
                } else if (earliest == null || due.isBefore(earliest)) {
                    earliest = due;
                }
            }
            b.fresh = false;
            b.earliestWaiting = earliest;
            stillWaiting += b.remaining;
        }
        waiting = stillWaiting;
        return out;
    }

    /** Batches in arrival order, those fully applied included until {@link #removeApplied()}. */
    List<Batch> batches() {
        return batches;
    }

    void removeApplied() {
        batches.removeIf(b -> b.remaining == 0);
    }

    /** Entries waiting now. */
    long waiting() {
        return waiting;
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }
}
