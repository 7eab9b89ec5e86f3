package io.exportcounter.contract;

/** Size class of the exporting firm; {@link #UNKNOWN} when the declaration does not say. */
public enum ExporterSize {
    LARGE, MIDSIZE, SME, UNKNOWN
}
