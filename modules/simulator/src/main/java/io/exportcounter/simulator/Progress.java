package io.exportcounter.simulator;

import java.time.Instant;

/**
 * Where a run stands.
 *
 * @param simulatedTime       the simulated clock (the time of the last record sent, or later while waiting)
 * @param declarations        distinct declarations sent so far (ACCEPT records)
 * @param totalDeclarations   distinct declarations in the whole year
 * @param records             every record sent, both topics
 * @param recordsPerSecond    records per real second, recently
 * @param runningTotalCents   the national total as sent so far, the pipeline's way
 * @param slowMotion          inside the slow-motion window around a planned crossing
 */
public record Progress(Instant simulatedTime, long declarations, long totalDeclarations, long records,
                       double recordsPerSecond, long runningTotalCents, boolean slowMotion) {

    /** Share done, 0..1, by declarations. */
    public double fractionDone() {
        return totalDeclarations == 0 ? 1 : Math.min(1.0, declarations / (double) totalDeclarations);
    }
}
