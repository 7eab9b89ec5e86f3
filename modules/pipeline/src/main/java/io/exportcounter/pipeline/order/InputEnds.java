package io.exportcounter.pipeline.order;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where partitions of the declarations topic end now, as a read_committed consumer sees them (their last stable
 * offsets): stage 2 checks a stage-1 task's idle claim against it (see {@link StageOnePositions}). Asked only from
 * stage 2's stream thread.
 */
public interface InputEnds {
    /** No source (a TopologyTestDriver has no broker to ask): idle claims are taken as they are. */
    InputEnds NONE = partitions -> {
        throw new UnsupportedOperationException("no source of end offsets");
    };

    /**
     * The end offsets of these partitions, by partition, read now; empty when they could not be read (the source logs
     * why): stage 2 then takes no idle claim it would need them for.
     */
    Optional<Map<Integer, Long>> endOffsets(Set<Integer> partitions);
}
