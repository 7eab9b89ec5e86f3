package io.exportcounter.pipeline.forecast;

/**
 * What kind of day a day is for customs traffic. The forecaster learns how much each kind carries, relative to
 * an ordinary working day of the same month, from what the pipeline counted; a kind it has not seen yet borrows
 * the factor of {@link #fallback()}.
 */
public enum DayKind {
    /** A working day that is none of the below. */
    WORKING(HourGroup.ORDINARY),
    /** A December working day from the 21st on (after the customs service's 20-day figure), not among the last three. */
    LATE_DECEMBER(HourGroup.ORDINARY),
    /** The third-last, second-last and last working day of a month other than December. */
    MONTH_END_3(HourGroup.MONTH_END),
    MONTH_END_2(HourGroup.MONTH_END),
    MONTH_END_1(HourGroup.MONTH_END),
    /** The same three of December: the year's close. */
    YEAR_END_3(HourGroup.MONTH_END),
    YEAR_END_2(HourGroup.MONTH_END),
    YEAR_END_1(HourGroup.MONTH_END),
    SATURDAY(HourGroup.OFF),
    SUNDAY(HourGroup.OFF),
    /** A public holiday (whatever the day of the week). */
    HOLIDAY(HourGroup.OFF);

    /** Days whose acceptances share a time-of-day profile. */
    public enum HourGroup { ORDINARY, MONTH_END, OFF }

    private final HourGroup hourGroup;

    DayKind(HourGroup hourGroup) {
        this.hourGroup = hourGroup;
    }

    public HourGroup hourGroup() {
        return hourGroup;
    }

    /** The kind whose factor stands in while this one has not been seen; null when none does (a day off: 0). */
    DayKind fallback() {
        return switch (this) {
            case WORKING -> null;
            case LATE_DECEMBER, MONTH_END_3, MONTH_END_2, MONTH_END_1 -> WORKING;
            // On record December's close is no rush: its first 20 days carry more of the month than other
            // months' do, and 2025's last working days ran at the rate of the days before (docs/forecast.md).
            case YEAR_END_3, YEAR_END_2, YEAR_END_1 -> LATE_DECEMBER;
            case SATURDAY, SUNDAY -> null;
            case HOLIDAY -> SUNDAY;
        };
    }
}
