package io.exportcounter.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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

    public PipelineStats() {
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
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

    /** Declarations now waiting for a rate in this instance's active tasks. */
    public long waitingNow() {
        return waitingByTask.values().stream().mapToLong(Long::longValue).sum();
    }
}
