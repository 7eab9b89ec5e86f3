package io.exportcounter.contract;

public enum MilestoneKind {
    /** A configured threshold of an annual total. */
    THRESHOLD,
    /** A month's total passes the highest monthly total on record. */
    MONTHLY_RECORD
}
