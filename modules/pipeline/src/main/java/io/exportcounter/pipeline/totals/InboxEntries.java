package io.exportcounter.pipeline.totals;

import io.exportcounter.pipeline.changes.ChangeEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries stage 2 has received and not applied yet, batch by batch in arrival order, and which of
 * them a watermark lets through (see {@link StageOnePositions}).
 *
 * <p>A round costs in proportion to what arrived and what it releases, not to what keeps waiting:
 * a batch whose waiting entries are all later than the watermark is passed over whole. Entries
 * waiting for a task that lags can run into the hundreds of thousands during a catch-up, and a
 * round that looked at each of them again stalled stage 2.
 */
final class InboxEntries {
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
        /** The earliest acceptance time among its waiting entries; null when none waits. */
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
    /** For each declaration with waiting entries, their sequence numbers in arrival order. */
    private final Map<String, ArrayDeque<Long>> waitingByDeclaration = new HashMap<>();
    private long waiting;

    void clear() {
        batches.clear();
        waitingByDeclaration.clear();
        waiting = 0;
    }

    Batch add(long key, List<ChangeEntry> entries, BitSet applied) {
        Batch b = new Batch(key, entries, applied);
        batches.add(b);
        return b;
    }

    /**
     * Marks applied and returns, in arrival order, every entry accepted at or before {@code watermark}
     * (every entry when it is null) that no earlier waiting entry of the same declaration holds back:
     * an amendment never goes before what it amends.
     */
    List<ChangeEntry> release(Instant watermark) {
        List<ChangeEntry> out = new ArrayList<>();
        for (Batch b : batches) {
            b.changed = false;
            if (!b.fresh && (b.earliestWaiting == null || (watermark != null && b.earliestWaiting.isAfter(watermark)))) {
                continue;
            }
            Instant earliest = null;
            for (int i = b.applied.nextClearBit(0); i < b.entries.size(); i = b.applied.nextClearBit(i + 1)) {
                ChangeEntry e = b.entries.get(i);
                long seq = b.key * MAX_BATCH_ENTRIES + i;
                // Only entries that waited in an earlier round are in the map, and only a later change of a
                // declaration can be held back by one: a declaration's first change, new in this round, needs no look.
                ArrayDeque<Long> queue = b.fresh && e.first() ? null : waitingByDeclaration.get(e.declarationId());
                Instant at = e.latest().acceptedAt();
                boolean heldBack = queue != null && queue.peekFirst() < seq;
                if (!heldBack && (watermark == null || !at.isAfter(watermark))) {
                    if (queue != null) {
                        // Not held back, so it is the first of its declaration's waiting entries.
                        queue.pollFirst();
                        if (queue.isEmpty()) {
                            waitingByDeclaration.remove(e.declarationId());
                        }
                        waiting--;
                    }
                    b.applied.set(i);
                    b.remaining--;
                    b.changed = true;
                    out.add(e);
                } else {
                    if (b.fresh) {
                        waitingByDeclaration.computeIfAbsent(e.declarationId(), k -> new ArrayDeque<>(2)).addLast(seq);
                        waiting++;
                    }
                    if (earliest == null || at.isBefore(earliest)) {
                        earliest = at;
                    }
                }
            }
            b.fresh = false;
            b.earliestWaiting = earliest;
        }
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
