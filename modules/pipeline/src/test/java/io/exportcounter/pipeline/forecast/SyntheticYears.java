package io.exportcounter.pipeline.forecast;

import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Synthetic years with known answers: every working day carries a chosen value, accepted in equal parts in the
 * nine office hours 09:00-18:00 (at half past each hour); days off carry nothing.
 */
final class SyntheticYears {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final HolidayCalendar HOLIDAYS = HolidayCalendar.packaged();
    static final Forecaster FORECASTER = new Forecaster(HOLIDAYS, SEOUL);
    static final int FIRST_HOUR = 9;
    static final int HOURS = 9;

    private SyntheticYears() {
    }

    static boolean working(DayKind k) {
        return k.hourGroup() != DayKind.HourGroup.OFF;
    }

    static Instant kst(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(SEOUL).toInstant();
    }

    /** Counts {@code centsPerWorkingDay(date)} on every working day of {@code year}, every acceptance before {@code until}. */
    static CountedYear counted(int year, Instant until, ToLongFunction<LocalDate> centsPerWorkingDay) {
        CountedYear y = FORECASTER.newCountedYear(year);
        YearCalendar cal = y.calendar();
        for (int d = 0; d < cal.days(); d++) {
            if (!working(cal.kind(d))) {
                continue;
            }
            long day = centsPerWorkingDay.applyAsLong(cal.date(d));
            for (int h = 0; h < HOURS; h++) {
                long at = cal.dayStart(d) + (FIRST_HOUR + h) * 3600L + 1800;
                if (at >= until.getEpochSecond()) {
                    return y;
                }
                y.accept(at, day / HOURS + (h < day % HOURS ? 1 : 0));
            }
        }
        return y;
    }

    /** Working days of {@code year} from {@code from} (inclusive) to {@code to} (exclusive). */
    static int workingDays(int year, LocalDate from, LocalDate to) {
        YearCalendar cal = FORECASTER.calendar(year);
        int n = 0;
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            if (working(cal.kind(d.getDayOfYear() - 1))) {
                n++;
            }
        }
        return n;
    }

    /** Monthly history of {@code years}: each month its working days x {@code perWorkingDay(year, month)}. */
    static History.Series history(int fromYear, int toYear, PerMonth perWorkingDay) {
        TreeMap<HistoryPeriod, History.Figure> months = new TreeMap<>();
        TreeMap<Integer, History.Figure> annual = new TreeMap<>();
        for (int y = fromYear; y <= toYear; y++) {
            long sum = 0;
            for (int m = 1; m <= 12; m++) {
                LocalDate first = LocalDate.of(y, m, 1);
                long cents = workingDays(y, first, first.plusMonths(1)) * perWorkingDay.cents(y, m);
                sum += cents;
                HistoryPeriod p = HistoryPeriod.ofMonth(y, m);
                months.put(p, new History.Figure(p, cents, null, "synthetic"));
            }
            annual.put(y, new History.Figure(HistoryPeriod.ofYear(y), sum, null, "synthetic"));
        }
        return new History.Series(annual, months, Collections.emptyNavigableMap());
    }

    /**
     * History of {@code years} day by day: each working day worth {@code centsPerWorkingDay(date)}, written as the
     * months and, as the customs service publishes them, each month's first 20 days.
     */
    static History.Series historyByDay(int fromYear, int toYear, ToLongFunction<LocalDate> centsPerWorkingDay) {
        TreeMap<HistoryPeriod, History.Figure> months = new TreeMap<>();
        TreeMap<HistoryPeriod, History.Figure> firstDays = new TreeMap<>();
        TreeMap<Integer, History.Figure> annual = new TreeMap<>();
        for (int y = fromYear; y <= toYear; y++) {
            YearCalendar cal = FORECASTER.calendar(y);
            long[] month = new long[12];
            long[] first = new long[12];
            for (int d = 0; d < cal.days(); d++) {
                LocalDate date = cal.date(d);
                long cents = working(cal.kind(d)) ? centsPerWorkingDay.applyAsLong(date) : 0;
                month[date.getMonthValue() - 1] += cents;
                if (date.getDayOfMonth() <= 20) {
                    first[date.getMonthValue() - 1] += cents;
                }
            }
            for (int m = 1; m <= 12; m++) {
                HistoryPeriod p = HistoryPeriod.ofMonth(y, m);
                months.put(p, new History.Figure(p, month[m - 1], null, "synthetic"));
                HistoryPeriod q = HistoryPeriod.ofMonthToDay(y, m, 20);
                firstDays.put(q, new History.Figure(q, first[m - 1], null, "synthetic"));
            }
            HistoryPeriod p = HistoryPeriod.ofYear(y);
            annual.put(y, new History.Figure(p, java.util.Arrays.stream(month).sum(), null, "synthetic"));
        }
        return new History.Series(annual, months, Collections.emptyNavigableMap(), firstDays);
    }

    interface PerMonth {
        long cents(int year, int month);
    }
}
