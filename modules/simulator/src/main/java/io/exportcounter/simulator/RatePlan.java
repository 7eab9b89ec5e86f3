package io.exportcounter.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The weekly customs exchange rates of a simulated year: KRW per unit of USD, EUR, JPY and CNY, in force
 * from Sunday 00:00 KST for a week. Levels follow the real monthly path of 2024 and 2025 (other years
 * use 2025's) with a slow, mean-reverting weekly random walk on top. Each week's rates are published the
 * Saturday evening before; now and then one arrives only after its week has begun, so the declarations
 * in that currency wait for it. Never in the weeks around a planned milestone crossing, so the crossing
 * lands where it is planned.
 */
final class RatePlan {
    static final String[] CURRENCIES = {"USD", "EUR", "JPY", "CNY"};
    static final int USD = 0;
    static final long WEEK_SECONDS = 7L * 86_400;
    /** Published this long before the week starts (Saturday 18:00 KST). */
    static final long PUBLISHED_BEFORE = 6 * 3600;

    private static final int[] SCALE = {2, 2, 4, 2};

    // Monthly averages, KRW per unit (JPY per one yen).
    private static final double[][] LEVELS_2024 = {
            {1323, 1331, 1331, 1368, 1366, 1381, 1384, 1354, 1334, 1362, 1396, 1434},
            {1442, 1439, 1446, 1467, 1477, 1486, 1504, 1495, 1484, 1487, 1474, 1501},
            {9.03, 8.92, 8.95, 8.99, 8.77, 8.81, 8.74, 9.21, 9.33, 9.10, 9.07, 9.33},
            {184.3, 184.9, 184.8, 189.1, 188.7, 190.0, 190.5, 188.5, 188.3, 191.6, 193.0, 196.5}};
    private static final double[][] LEVELS_2025 = {
            {1455, 1445, 1456, 1444, 1394, 1366, 1376, 1390, 1392, 1424, 1459, 1470},
            {1510, 1506, 1576, 1606, 1571, 1577, 1609, 1617, 1630, 1660, 1688, 1720},
            {9.32, 9.55, 9.79, 10.00, 9.64, 9.47, 9.40, 9.44, 9.42, 9.43, 9.46, 9.45},
            {199.3, 198.5, 200.6, 197.8, 193.2, 190.3, 191.8, 193.4, 195.2, 199.8, 205.4, 207.9}};

    final long firstWeekStart;
    final int weeks;
    /** [week][currency] */
    final BigDecimal[][] krwPerUnit;
    /** [week][currency]: when the rate is published, epoch seconds. */
    final long[][] publishedAt;

    /**
     * @param protectedFrom start of a span (epoch seconds) whose weeks' rates are never late, or Long.MAX_VALUE
     * @param protectedTo   end of that span
     */
    RatePlan(TradeCalendar calendar, long seed, double lateShare, long protectedFrom, long protectedTo) {
        LocalDate firstSunday = LocalDate.of(calendar.year, 1, 1).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        LocalDate lastSunday = LocalDate.of(calendar.year, 12, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        this.firstWeekStart = firstSunday.toEpochDay() * 86_400 - TradeCalendar.KST_OFFSET_SECONDS;
        this.weeks = (int) ((lastSunday.toEpochDay() - firstSunday.toEpochDay()) / 7) + 1;
        this.krwPerUnit = new BigDecimal[weeks][CURRENCIES.length];
        this.publishedAt = new long[weeks][CURRENCIES.length];
        double[][] levels = calendar.year == 2024 ? LEVELS_2024 : LEVELS_2025;
        Rng rng = new Rng(Rng.derive(seed, 0x4A7E5L, calendar.year));
        double[] noise = new double[CURRENCIES.length];
        for (int w = 0; w < weeks; w++) {
            LocalDate sunday = firstSunday.plusWeeks(w);
            long start = weekStart(w);
            boolean protectedWeek = start < protectedTo && start + WEEK_SECONDS > protectedFrom;
            for (int c = 0; c < CURRENCIES.length; c++) {
                // Mean-reverting walk: about 0.4% a week, pulled back toward the month's level.
                noise[c] = 0.8 * noise[c] + 0.004 * rng.gaussian();
                double level = level(levels[c], calendar.year, sunday.plusDays(3)) * StrictMath.exp(noise[c]);
                krwPerUnit[w][c] = BigDecimal.valueOf(level).setScale(SCALE[c], RoundingMode.HALF_EVEN);
                boolean late = rng.chance(lateShare) && !protectedWeek;
                double lateBy = rng.between(2 * 3600, 26 * 3600);
                publishedAt[w][c] = late ? start + (long) lateBy : start - PUBLISHED_BEFORE;
            }
        }
    }

    /** The month's level, interpolated between month middles so weeks don't jump at month ends. */
    private static double level(double[] monthly, int year, LocalDate day) {
        double pos = day.getMonthValue() - 1 + (day.getDayOfMonth() - 1) / (double) day.lengthOfMonth() - 0.5;
        if (day.getYear() < year || pos <= 0) {
            return monthly[0];
        }
        if (day.getYear() > year || pos >= 11) {
            return monthly[11];
        }
        int i = (int) pos;
        double f = pos - i;
        return monthly[i] * (1 - f) + monthly[i + 1] * f;
    }

    long weekStart(int week) {
        return firstWeekStart + week * WEEK_SECONDS;
    }

    int weekOf(long epochSecond) {
        return (int) Math.floorDiv(epochSecond - firstWeekStart, WEEK_SECONDS);
    }

    /** KRW per unit of the currency index in force at {@code epochSecond}. */
    BigDecimal rate(int currency, long epochSecond) {
        return krwPerUnit[weekOf(epochSecond)][currency];
    }

    static int indexOf(String currency) {
        for (int i = 0; i < CURRENCIES.length; i++) {
            if (CURRENCIES[i].equals(currency)) {
                return i;
            }
        }
        return -1;
    }
}
