package io.exportcounter.contract;

/** What a year-to-date record measures (CONTRACT.md section 5, {@code measure}). */
public enum RecordMeasure {
    /** The export value, {@code totalUsd}. */
    VALUE,
    /** The number of distinct exporters with a live declaration, {@code exporters}. */
    EXPORTERS
}
