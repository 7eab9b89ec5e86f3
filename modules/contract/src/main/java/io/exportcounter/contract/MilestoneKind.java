package io.exportcounter.contract;

/** What a milestone marks (CONTRACT.md section 5). */
public enum MilestoneKind {
    /** A configured threshold of an annual total. */
    THRESHOLD,
    /** A month's total passes the highest monthly total on record (any month). */
    MONTHLY_RECORD,
    /** A year's running total passes the highest full-year total on record. */
    ANNUAL_RECORD,
    /** A month's running total passes the same calendar month of every earlier year on record. */
    CALENDAR_MONTH_RECORD,
    /** At a quarter's close, the year-to-date figure is the highest of the same months of every year on record. */
    YEAR_TO_DATE_RECORD
}
