package io.exportcounter.pipeline.forecast;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * One year in the reporting zone: where each day starts (epoch seconds), what kind of day it is and which month
 * it belongs to. Built once per year and zone ({@link HolidayCalendar#yearCalendar}); immutable.
 */
public final class YearCalendar {
    static final int SECONDS_PER_DAY = 86_400;

    private final int year;
    private final ZoneId zone;
    private final int days;
    private final long[] dayStart;
    private final DayKind[] kinds;
    private final byte[] month;
    private final int[] firstDayOfMonth;
    private final boolean holidaysCovered;

    private YearCalendar(int year, ZoneId zone, long[] dayStart, DayKind[] kinds, byte[] month, int[] firstDayOfMonth,
                         boolean holidaysCovered) {
        this.year = year;
        this.zone = zone;
        this.days = kinds.length;
        this.dayStart = dayStart;
        this.kinds = kinds;
        this.month = month;
        this.firstDayOfMonth = firstDayOfMonth;
        this.holidaysCovered = holidaysCovered;
    }

    static YearCalendar build(int year, ZoneId zone, HolidayCalendar holidays) {
        LocalDate jan1 = LocalDate.of(year, 1, 1);
        int days = jan1.lengthOfYear();
        long[] start = new long[days + 1];
        DayKind[] kinds = new DayKind[days];
        byte[] month = new byte[days];
        int[] firstDayOfMonth = new int[14];
        for (int d = 0; d <= days; d++) {
            start[d] = jan1.plusDays(d).atStartOfDay(zone).toEpochSecond();
        }
        boolean[] working = new boolean[days];
        for (int d = 0; d < days; d++) {
            LocalDate date = jan1.plusDays(d);
            month[d] = (byte) date.getMonthValue();
            if (date.getDayOfMonth() == 1) {
                firstDayOfMonth[date.getMonthValue()] = d;
            }
            if (holidays.isHoliday(date)) {
                kinds[d] = DayKind.HOLIDAY;
            } else if (date.getDayOfWeek() == DayOfWeek.SATURDAY) {
                kinds[d] = DayKind.SATURDAY;
            } else if (date.getDayOfWeek() == DayOfWeek.SUNDAY) {
                kinds[d] = DayKind.SUNDAY;
            } else {
                kinds[d] = date.getMonthValue() == 12 && date.getDayOfMonth() >= 21 ? DayKind.LATE_DECEMBER : DayKind.WORKING;
                working[d] = true;
            }
        }
        firstDayOfMonth[13] = days;
        DayKind[][] ends = {{DayKind.MONTH_END_1, DayKind.MONTH_END_2, DayKind.MONTH_END_3},
                {DayKind.YEAR_END_1, DayKind.YEAR_END_2, DayKind.YEAR_END_3}};
        for (int m = 1; m <= 12; m++) {
            DayKind[] rank = ends[m == 12 ? 1 : 0];
            int found = 0;
            for (int d = firstDayOfMonth[m + 1] - 1; d >= firstDayOfMonth[m] && found < 3; d--) {
                if (working[d]) {
                    kinds[d] = rank[found++];
                }
            }
        }
        return new YearCalendar(year, zone, start, kinds, month, firstDayOfMonth, holidays.covers(year));
    }

    public int year() {
        return year;
    }

    public ZoneId zone() {
        return zone;
    }

    /** 365 or 366. */
    public int days() {
        return days;
    }

    /** The first second of the year (epoch seconds). */
    public long start() {
        return dayStart[0];
    }

    /** The first second after the year. */
    public long end() {
        return dayStart[days];
    }

    /** Where day {@code day} (0-based) starts; {@code dayStart(days())} is the end of the year. */
    public long dayStart(int day) {
        return dayStart[day];
    }

    public DayKind kind(int day) {
        return kinds[day];
    }

    /** The month (1-12) of day {@code day}. */
    public int month(int day) {
        return month[day];
    }

    /** The first day (0-based) of month {@code m} (1-12); {@code 13} gives {@link #days()}. */
    public int firstDayOfMonth(int m) {
        return firstDayOfMonth[m];
    }

    public LocalDate date(int day) {
        return LocalDate.ofYearDay(year, day + 1);
    }

    /** Whether the holiday table lists this year's holidays (otherwise only weekends are days off). */
    public boolean holidaysCovered() {
        return holidaysCovered;
    }

    /** The day (0-based) of an instant, or -1 when it is outside the year. O(1): a guess and at most a step. */
    public int dayOf(long epochSecond) {
        if (epochSecond < dayStart[0] || epochSecond >= dayStart[days]) {
            return -1;
        }
        int d = (int) Math.min(days - 1, (epochSecond - dayStart[0]) / SECONDS_PER_DAY);
        while (d > 0 && epochSecond < dayStart[d]) {
            d--;
        }
        while (d < days - 1 && epochSecond >= dayStart[d + 1]) {
            d++;
        }
        return d;
    }

    /** The hour (0-23) of an instant in its day, counted from the day's start (a 25-hour day puts its last in 23). */
    public int hourOf(int day, long epochSecond) {
        return (int) Math.min(23, (epochSecond - dayStart[day]) / 3600);
    }
}
