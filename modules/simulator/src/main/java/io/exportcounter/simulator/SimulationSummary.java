package io.exportcounter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a run sent.
 *
 * @param year                     the simulated year
 * @param seed                     its seed
 * @param completed                false when the run was interrupted
 * @param records                  records sent, by kind
 * @param elapsed                  real time taken
 * @param finalTotalCents          the national total of everything sent, the pipeline's way
 * @param calibratedTotalCents     what the whole year adds up to
 * @param crossingAt               the planned crossing's acceptance time, or null
 * @param crossingDeclarationId    the declaration that crosses, or null (none planned, or not sent yet)
 */
public record SimulationSummary(int year, long seed, boolean completed, Map<SimEvent.Kind, Long> records,
                                Duration elapsed, long finalTotalCents, long calibratedTotalCents,
                                Instant crossingAt, String crossingDeclarationId) {

    public long recordCount() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(SimEvent.Kind kind) {
        return records.getOrDefault(kind, 0L);
    }

    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : recordCount() / s;
    }
}
