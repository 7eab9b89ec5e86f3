package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.metrics.PipelineStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2's inbox: the change batches of every stage-1 task as they arrive, kept in a changelogged store until
 * every entry of theirs is applied, and which entries a round may apply: those every stage-1 task still reading
 * has read past (the watermark of {@link StageOnePositions}).
 *
 * <p>A commit between a batch's arrival and its round keeps it in the changelog; within one commit interval the
 * put and the delete cancel out in the store cache, so batches rarely reach the changelog. A round that applies
 * part of a batch stores which entries it applied (a bit set), not the batch again.
 *
 * <p>Keys: batches from 0 up, in arrival order; {@link #POSITIONS_KEY} the stage-1 positions, with the key of the
 * last batch they include; a batch's applied-entry set at {@link #appliedKey}, from -2 down.
 */
public final class Inbox {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    public static final long POSITIONS_KEY = -1L;
    /** In the warning logged each time stage 2 stops waiting for lagging stage-1 tasks (the benchmark counts them). */
    public static final String ORDER_GIVEN_UP = "applying them without waiting any longer";
    /**
     * Entries waiting this long with none applied are logged (once a stall): longer than a failover with Kafka's
     * default session timeout (45 s), during which stage 2 waits for the tasks that move.
     */
    static final Duration STALL_LOGGED_AFTER = Duration.ofSeconds(60);

    private final long maxWaiting;
    private final PipelineStats stats;
    /** Batches with entries still to apply, decoded, in arrival order. */
    private final InboxEntries unapplied = new InboxEntries();
    private final StageOnePositions positions;
    private KeyValueStore<Long, byte[]> store;
    private long nextKey;
    /** The highest key read so far. */
    private long lastReadKey = -1;
    private long latestTimestamp;
    /** The watermark the last round used; null before the first. */
    private Watermark lastWatermark;
    /** Whether the last round applied without waiting for lagging tasks because too much was waiting. */
    private boolean overWaitingCap;
    /** Since when entries have waited with none applied (-1: not waiting so), and whether that was logged. */
    private long stalledSinceMs = -1;
    private boolean stallLogged;
    /** When the last batch arrived (wall clock; -1: none since this task started). */
    private long lastArrivalMs = -1;

    /** @param maxWaiting entries that may wait for lagging stage-1 tasks; past it a round applies them without waiting */
    public Inbox(long maxWaiting, PipelineStats stats) {
        this(maxWaiting, stats, InputEnds.NONE);
    }

    /** @param inputEnds what stage-1 tasks' idle claims are checked against (see {@link StageOnePositions}) */
    public Inbox(long maxWaiting, PipelineStats stats, InputEnds inputEnds) {
        this.maxWaiting = maxWaiting;
        this.stats = stats;
        this.positions = new StageOnePositions(inputEnds);
    }

    /** The key of a batch's applied-entry set; its own inverse, so it also maps such a key back to its batch's. */
    public static long appliedKey(long batchKey) {
        return -2 - batchKey;
    }

    /** Reads what the store holds: at every start, restart and rebalance, the store is what counts. */
    public void open(KeyValueStore<Long, byte[]> inboxStore, int declarationPartitions) {
        this.store = inboxStore;
        unapplied.clear();
        lastReadKey = -1;
        Map<Long, BitSet> appliedSets = new HashMap<>();
        List<KeyValue<Long, byte[]>> batches = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                if (kv.key >= 0) {
                    batches.add(kv);
                } else if (kv.key <= appliedKey(0)) {
                    appliedSets.put(appliedKey(kv.key), BitSet.valueOf(kv.value));
                }
            }
        }
        long positionsThrough = positions.restore(store.get(POSITIONS_KEY));
        positions.expect(declarationPartitions);
        for (KeyValue<Long, byte[]> kv : batches) {
            // A batch the stored positions already include gives its entries only: its position, applied again
            // over a later one of its task, would take back that task's later idle claim, and stage 2 would wait
            // for a task that says nothing more.
            read(kv.key, kv.value, appliedSets.getOrDefault(kv.key, new BitSet()), kv.key > positionsThrough).appliedStored =
                    appliedSets.containsKey(kv.key);
        }
        // Keys go on above the positions' last batch, also when no batch is left, so that a later batch is never
        // taken for one they include.
        lastReadKey = Math.max(lastReadKey, positionsThrough);
        nextKey = Math.max(nextKey, lastReadKey + 1);
        lastWatermark = null;
    }

    /** A batch arrives at {@code nowMs} (wall clock), written by stage 1 at {@code timestamp}. */
    public void put(byte[] batch, long timestamp, long nowMs) {
        store.put(nextKey++, batch);
        latestTimestamp = Math.max(latestTimestamp, timestamp);
        lastArrivalMs = nowMs;
    }

    /** The latest record timestamp of any batch received. */
    public long latestTimestamp() {
        return latestTimestamp;
    }

    public long waiting() {
        return unapplied.waiting();
    }

    /**
     * How far entries may be applied now: up to the slowest reading stage-1 task, as the last round checked idle
     * claims (it reads no end offsets: for the pace stage 1 hears).
     */
    public Watermark watermark() {
        return positions.watermarkAsLastChecked();
    }

    private InboxEntries.Batch read(long key, byte[] value, BitSet applied, boolean withPosition) {
        ChangeCodec.Batch batch = ChangeCodec.decode(value);
        if (withPosition) {
            positions.update(batch.position());
        }
        lastReadKey = Math.max(lastReadKey, key);
        return unapplied.add(key, batch.entries(), applied);
    }

    /**
     * The entries a round may apply now, in acceptance order; null when nothing arrived and the watermark has not
     * moved since the last round, which applied all it could. A round that gets a list ends with {@link #roundDone}.
     * Entries waiting with none applied for {@link #STALL_LOGGED_AFTER} are logged once, with the tasks they wait for.
     */
    public List<ChangeEntry> release(long nowMs) {
        boolean arrived = false;
        // Only what came since the last round; the rest is in memory. Reading from a key, not from the start, also
        // steps over no delete markers of applied batches.
        try (KeyValueIterator<Long, byte[]> it = store.range(lastReadKey + 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                read(kv.key, kv.value, new BitSet(), true);
                arrived = true;
            }
        }
        if (unapplied.isEmpty()) {
            progressed(nowMs);
            return null;
        }
        // After what arrived was read: an idle claim is checked against end offsets read after it was received.
        Watermark watermark = positions.watermark();
        if (!arrived && Objects.equals(watermark, lastWatermark)) {
            stalled(nowMs, watermark);
            return null;
        }
        lastWatermark = watermark;
        List<ChangeEntry> entries = unapplied.release(watermark);
        // Counted after the release, so that what this watermark lets through does not count as waiting.
        if (unapplied.waiting() > maxWaiting && watermark.holdsBack()) {
            // Memory and round time stay bounded: order gives way to a task lagging this far behind.
            if (!overWaitingCap) {
                stats.orderGivenUp();
                log.warn("Stage 2 holds {} change entries for stage-1 tasks that have read only up to {}; "
                        + ORDER_GIVEN_UP + " (milestones until the tasks catch up may name declarations"
                        + " out of acceptance order)", unapplied.waiting(), watermark);
            }
            overWaitingCap = true;
            entries.addAll(unapplied.release(Watermark.NONE));
        } else {
            overWaitingCap = false;
        }
        if (entries.isEmpty()) {
            stalled(nowMs, watermark);
            return entries;
        }
        progressed(nowMs);
        return AcceptanceOrder.sort(entries);
    }

    /** A round applied something, or nothing waits. */
    private void progressed(long nowMs) {
        if (stallLogged) {
            log.info("Stage 2 applies change entries again, after {} s with none applied", (nowMs - stalledSinceMs) / 1000);
        }
        stalledSinceMs = -1;
        stallLogged = false;
    }

    /** Entries wait and none was applied this round. */
    private void stalled(long nowMs, Watermark watermark) {
        if (stalledSinceMs < 0) {
            stalledSinceMs = nowMs;
        } else if (!stallLogged && nowMs - stalledSinceMs >= STALL_LOGGED_AFTER.toMillis()) {
            stallLogged = true;
            log.warn("Stage 2 has applied no change entry for {} s: {} wait for stage-1 tasks that have read only up to {}"
                    + " ({}); {}", (nowMs - stalledSinceMs) / 1000, unapplied.waiting(), watermark, positions.holdingBack(),
                    lastArrivalMs < 0 ? "no batch has arrived since it started"
                            : "the last batch arrived " + (nowMs - lastArrivalMs) / 1000 + " s ago");
        }
    }

    /** Stores what the round applied: whole batches go, partly applied ones keep their applied set. */
    public void roundDone() {
        for (InboxEntries.Batch b : unapplied.batches()) {
            if (b.remaining == 0) {
                store.delete(b.key);
                if (b.appliedStored) {
                    store.delete(appliedKey(b.key));
                }
            } else if (b.changed) {
                store.put(appliedKey(b.key), b.applied.toByteArray());
                b.appliedStored = true;
            }
        }
        unapplied.removeApplied();
        stats.heldForOrder(unapplied.waiting());
        // Every batch up to lastReadKey has been read into the positions (a round reads all that arrived).
        store.put(POSITIONS_KEY, positions.encode(lastReadKey));
    }
}
