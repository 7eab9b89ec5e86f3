package io.exportcounter.pipeline.metrics;

import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counters of what the pipeline did with its input, shared by every task of one instance and read by
 * the status endpoint and the metrics. Cheap to update from the hot path (LongAdder).
 */
public final class PipelineStats {
    /** What happened to one input declaration event. */
    public enum Outcome {
        /** Counted (ACCEPT or AMEND applied with a known rate). */
        COUNTED,
        /** A CANCEL applied. */
        CANCELLED,
        /** Same revision as the one applied: a redelivery, changes nothing. */
        DUPLICATE,
        /** Lower revision than the one applied: a stale copy, changes nothing. */
        STALE,
        /** Invalid: written to the rejected topic. */
        REJECTED,
        /** Valid but its exchange rate is not known yet: waits. */
        WAITING_FOR_RATE,
        /** Left the waiting store because its rate arrived, and was counted. */
        RELEASED_FROM_WAITING
    }

    private final Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Long> waitingByTask = new ConcurrentHashMap<>();
    /** Milestone events emitted by this instance's stage-2 task, by kind and type. */
    private final LongAdder[] milestones = new LongAdder[MilestoneKind.values().length * MilestoneType.values().length];
    /** Receives each acceptedAt-to-counted delay; null (the default) costs one volatile read per entry. */
    private volatile LongConsumer countingDelayListener;
    private volatile long heldForOrder;
    private final LongAdder orderGivenUp = new LongAdder();
    private final LongAdder partitionsHeldBack = new LongAdder();
    private final LongAdder ledgerEntriesReplayed = new LongAdder();

    public PipelineStats() {
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        for (int i = 0; i < milestones.length; i++) {
            milestones[i] = new LongAdder();
        }
    }

    public void record(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    public void rejected() {
        record(Outcome.REJECTED);
    }

    public long count(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Declarations now waiting for a rate in one task (set by the task after each change). */
    public void waiting(String taskId, long waiting) {
        if (waiting == 0) {
            waitingByTask.remove(taskId);
        } else {
            waitingByTask.put(taskId, waiting);
        }
    }

    /** A stage-1 task started and replayed {@code entries} ledger entries from its journal (see Ledger). */
    public void ledgerReplayed(long entries) {
        ledgerEntriesReplayed.add(entries);
    }

    /** Ledger entries this instance's stage-1 tasks replayed from their journals when they started, since start. */
    public long ledgerEntriesReplayedCount() {
        return ledgerEntriesReplayed.sum();
    }

    /** A stage-1 task read its quota past stage 2's watermark: its partition is held back until the slowest catches up. */
    public void partitionHeldBack() {
        partitionsHeldBack.increment();
    }

    /** Times a stage-1 task of this instance had its partition held back since start. */
    public long partitionsHeldBackCount() {
        return partitionsHeldBack.sum();
    }

    /** Stage 2 stopped waiting for lagging stage-1 tasks: its cap of waiting entries was reached. */
    public void orderGivenUp() {
        orderGivenUp.increment();
    }

    /** Times stage 2 stopped waiting for lagging stage-1 tasks since start. */
    public long orderGivenUpCount() {
        return orderGivenUp.sum();
    }

    /** Change entries stage 2 holds back after its latest round, until every stage-1 task has read past them. */
    public void heldForOrder(long entries) {
        heldForOrder = entries;
    }

    public long heldForOrderNow() {
        return heldForOrder;
    }

    /** Declarations now waiting for a rate in this instance's active tasks. */
    public long waitingNow() {
        return waitingByTask.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A milestone event was emitted by stage 2 (an aborted transaction that is replayed counts again). */
    public void milestoneEmitted(MilestoneKind kind, MilestoneType type) {
        milestones[kind.ordinal() * MilestoneType.values().length + type.ordinal()].increment();
    }

    public long milestonesEmitted(MilestoneKind kind, MilestoneType type) {
        return milestones[kind.ordinal() * MilestoneType.values().length + type.ordinal()].sum();
    }

    /**
     * Stage 2 counted a contribution accepted at {@code acceptedAt} at wall-clock {@code countedAtMs}.
     * The delay (never negative) goes to the listener, if any; serving turns it into a distribution.
     */
    public void counted(long countedAtMs, Instant acceptedAt) {
        LongConsumer listener = countingDelayListener;
        if (listener != null) {
            listener.accept(Math.max(0, countedAtMs - acceptedAt.toEpochMilli()));
        }
    }

    /** Sets the one receiver of acceptedAt-to-counted delays in milliseconds (null to stop). */
    public void onCountingDelay(LongConsumer listener) {
        this.countingDelayListener = listener;
    }
}
