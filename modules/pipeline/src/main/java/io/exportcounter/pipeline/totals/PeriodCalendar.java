package io.exportcounter.pipeline.totals;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The reporting year and month of an instant in the reporting zone. Declarations arrive in time
 * order mostly, so the current month's bounds are remembered and the zone arithmetic is skipped
 * while instants stay inside them.
 */
final class PeriodCalendar {
    private final ZoneId zone;
    private long monthStart = Long.MAX_VALUE;
    private long monthEnd = Long.MIN_VALUE;
    private String year;
    private String month;
    private int monthOfYear;

    PeriodCalendar(ZoneId zone) {
        this.zone = zone;
    }

    /** Moves to the month of {@code t}; then {@link #year()} and {@link #month()} name its periods. */
    void locate(Instant t) {
        long s = t.getEpochSecond();
        if (s >= monthStart && s < monthEnd) {
            return;
        }
        YearMonth ym = YearMonth.from(ZonedDateTime.ofInstant(t, zone));
        monthStart = ym.atDay(1).atStartOfDay(zone).toEpochSecond();
        monthEnd = ym.plusMonths(1).atDay(1).atStartOfDay(zone).toEpochSecond();
        year = Integer.toString(ym.getYear());
        month = ym.toString();
        monthOfYear = ym.getMonthValue();
    }

    String year() {
        return year;
    }

    String month() {
        return month;
    }

    /** 1 to 12. */
    int monthOfYear() {
        return monthOfYear;
    }
}
