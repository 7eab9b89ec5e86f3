package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import java.time.Instant;
import java.util.Collection;

/** What stage 2 has counted itself, as the milestone rules ask for it (a counted period replaces its history figure). */
public interface CountedTotals {
    /** The pipeline's own total of {@code period} (a year or a month) in cents; null when it has counted nothing there. */
    Long cents(String period, Dimension dimension, String member);

    /** Every year, as {@code 2025}, in which the pipeline has counted anything. */
    Collection<String> countedYears();

    /**
     * Distinct exporters with a live declaration in January to the end of quarter {@code quarter} of {@code year},
     * of a NATIONAL or EXPORTER_SIZE total.
     */
    long exportersYearToDate(int year, int quarter, Dimension dimension, String member);

    /** The latest acceptance time counted so far; null when nothing was. */
    Instant latestCounted();
}
