package io.exportcounter.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.HashSet;
import java.util.Set;

/**
 * When declarations are accepted: the days of a year in Korea time with their relative volume (working
 * days, thin weekends and public holidays, bunching on the last working days of each month but December)
 * and the hour-of-day profile (office hours, a rush before the evening cut-off, a trickle at night:
 * electronic declarations are accepted around the clock).
 */
final class TradeCalendar {
    static final int SECONDS_PER_DAY = 86_400;
    /** Korea Standard Time, UTC+9 (Asia/Seoul has no daylight saving). */
    static final int KST_OFFSET_SECONDS = 9 * 3600;

    private static final Set<MonthDay> FIXED_HOLIDAYS = Set.of(
            MonthDay.of(1, 1), MonthDay.of(3, 1), MonthDay.of(5, 5), MonthDay.of(6, 6), MonthDay.of(8, 15),
            MonthDay.of(10, 3), MonthDay.of(10, 9), MonthDay.of(12, 25));

    /** Lunar-calendar holidays (Seollal, Buddha's birthday, Chuseok), substitutes and election days. */
    private static final Set<LocalDate> MOVING_HOLIDAYS = Set.of(
            LocalDate.of(2024, 2, 9), LocalDate.of(2024, 2, 12), LocalDate.of(2024, 4, 10),
            LocalDate.of(2024, 5, 6), LocalDate.of(2024, 5, 15), LocalDate.of(2024, 9, 16),
            LocalDate.of(2024, 9, 17), LocalDate.of(2024, 9, 18), LocalDate.of(2024, 10, 1),
            LocalDate.of(2025, 1, 27), LocalDate.of(2025, 1, 28), LocalDate.of(2025, 1, 29),
            LocalDate.of(2025, 1, 30), LocalDate.of(2025, 3, 3), LocalDate.of(2025, 5, 6),
            LocalDate.of(2025, 6, 3), LocalDate.of(2025, 10, 6), LocalDate.of(2025, 10, 7),
            LocalDate.of(2025, 10, 8));

    /** Relative declarations per hour of the day (KST). */
    private static final double[] HOURS = {
            0.08, 0.05, 0.04, 0.04, 0.05, 0.08, 0.15, 0.35, 0.75, 1.25, 1.35, 1.30,
            0.80, 1.30, 1.40, 1.45, 1.50, 1.60, 1.10, 0.60, 0.45, 0.35, 0.25, 0.15};
    private static final double[] HOURS_CUMULATIVE = cumulative(HOURS, 1.0);
    /** On the last working days of a month the evening rush is stronger: exporters beat the month's close. */
    private static final double[] MONTH_END_HOURS_CUMULATIVE = cumulative(HOURS, 1.8);

    final int year;
    final int days;
    final long firstDayStart;
    final LocalDate[] dates;
    final double[] weights;
    final boolean[] monthEndRush;

    TradeCalendar(int year) {
        this.year = year;
        LocalDate jan1 = LocalDate.of(year, 1, 1);
        this.days = jan1.lengthOfYear();
        this.firstDayStart = jan1.toEpochDay() * SECONDS_PER_DAY - KST_OFFSET_SECONDS;
        this.dates = new LocalDate[days];
        this.weights = new double[days];
        this.monthEndRush = new boolean[days];
        Set<LocalDate> working = new HashSet<>();
        for (int d = 0; d < days; d++) {
            LocalDate date = jan1.plusDays(d);
            dates[d] = date;
            boolean holiday = FIXED_HOLIDAYS.contains(MonthDay.from(date)) || MOVING_HOLIDAYS.contains(date);
            DayOfWeek dow = date.getDayOfWeek();
            if (holiday) {
                weights[d] = 0.12;
            } else if (dow == DayOfWeek.SATURDAY) {
                weights[d] = 0.22;
            } else if (dow == DayOfWeek.SUNDAY) {
                weights[d] = 0.10;
            } else {
                weights[d] = 1.0;
                working.add(date);
            }
        }
        // The last three working days of each month bunch up. December's do not: on record its first 20 days carry
        // more of the month than other months' do (63% in 2019-2024, against 61%), and in 2025 the $9.7B after the
        // 1:03 p.m. crossing on Dec 29 came in at about the rate of Dec 22-26 ($16.8B from the 21st to the crossing).
        for (int m = 1; m <= 11; m++) {
            LocalDate day = LocalDate.of(year, m, 1).plusMonths(1).minusDays(1);
            double[] boost = {2.2, 1.6, 1.3};
            int found = 0;
            while (found < 3 && day.getMonthValue() == m) {
                if (working.contains(day)) {
                    int d = day.getDayOfYear() - 1;
                    weights[d] *= boost[found];
                    monthEndRush[d] = true;
                    found++;
                }
                day = day.minusDays(1);
            }
        }
    }

    long dayStart(int day) {
        return firstDayStart + (long) day * SECONDS_PER_DAY;
    }

    long yearEnd() {
        return dayStart(days);
    }

    /** Start of the month (1-12) in epoch seconds; 13 is the start of the next year. */
    long monthStart(int month) {
        LocalDate first = month == 13 ? LocalDate.of(year + 1, 1, 1) : LocalDate.of(year, month, 1);
        return first.toEpochDay() * SECONDS_PER_DAY - KST_OFFSET_SECONDS;
    }

    /** Month (1-12) of an epoch second in Korea time. */
    static int monthOf(long epochSecond) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochSecond + KST_OFFSET_SECONDS, SECONDS_PER_DAY)).getMonthValue();
    }

    /** A second of the day (0..86399), drawn from the hour profile. */
    int secondOfDay(int day, Rng rng) {
        double[] cum = monthEndRush[day] ? MONTH_END_HOURS_CUMULATIVE : HOURS_CUMULATIVE;
        int hour = TradeCatalog.pick(cum, rng.nextDouble());
        return hour * 3600 + rng.nextInt(3600);
    }

    private static double[] cumulative(double[] hours, double eveningBoost) {
        double[] cum = new double[hours.length];
        double sum = 0;
        for (int h = 0; h < hours.length; h++) {
            sum += hours[h] * (h >= 17 ? eveningBoost : 1.0);
            cum[h] = sum;
        }
        for (int h = 0; h < cum.length; h++) {
            cum[h] /= sum;
        }
        cum[cum.length - 1] = 1.0;
        return cum;
    }
}
