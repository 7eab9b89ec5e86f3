package io.exportcounter.pipeline.history;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * A period of the history: a year ({@code 2018}), a month ({@code 2018-06}, {@code index} 1 to 12), a year
 * to date through a quarter ({@code 2018-Q3}, {@code index} 1 to 4), or a month's first days, as the customs
 * service publishes them around the 11th and the 21st ({@code 2018-06-01/2018-06-20}, {@code index} the month,
 * {@code day} the last day included). Written as in the contract's periods; the first days as an ISO 8601 interval.
 */
public record HistoryPeriod(Kind kind, int year, int index, int day) implements Comparable<HistoryPeriod> {
    public enum Kind { YEAR, MONTH, YEAR_TO_DATE, MONTH_TO_DAY }

    public static HistoryPeriod ofYear(int year) {
        return new HistoryPeriod(Kind.YEAR, year, 0, 0);
    }

    public static HistoryPeriod ofMonth(int year, int month) {
        return new HistoryPeriod(Kind.MONTH, year, month, 0);
    }

    public static HistoryPeriod ofQuarter(int year, int quarter) {
        return new HistoryPeriod(Kind.YEAR_TO_DATE, year, quarter, 0);
    }

    /** Days 1 to {@code lastDay} of a month. */
    public static HistoryPeriod ofMonthToDay(int year, int month, int lastDay) {
        return new HistoryPeriod(Kind.MONTH_TO_DAY, year, month, lastDay);
    }

    private static final java.util.Map<Integer, String> MONTH_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A month as the totals key it: {@code 2025-06}; the same string each time (asked per round by stage 2). */
    public static String monthKey(int year, int month) {
        return MONTH_KEYS.computeIfAbsent(year * 100 + month, k -> String.format("%04d-%02d", year, month));
    }

    /** The period written {@code text}, or null when it is none of the three forms. */
    public static HistoryPeriod parse(String text) {
        if (text.length() < 4 || !digits(text, 0, 4)) {
            return null;
        }
        int year = Integer.parseInt(text.substring(0, 4));
        if (text.length() == 4) {
            return ofYear(year);
        }
        if (text.length() == 7 && text.charAt(4) == '-' && digits(text, 5, 7)) {
            int month = Integer.parseInt(text.substring(5, 7));
            return month >= 1 && month <= 12 ? ofMonth(year, month) : null;
        }
        if (text.length() == 7 && text.startsWith("-Q", 4) && text.charAt(6) >= '1' && text.charAt(6) <= '4') {
            return ofQuarter(year, text.charAt(6) - '0');
        }
        if (text.length() == 21 && text.charAt(10) == '/') {
            return monthToDay(text.substring(0, 10), text.substring(11));
        }
        return null;
    }

    /** {@code yyyy-MM-01/yyyy-MM-dd} within one month, ending before its last day (else it is the month). */
    private static HistoryPeriod monthToDay(String from, String to) {
        LocalDate first;
        LocalDate last;
        try {
            first = LocalDate.parse(from);
            last = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            return null;
        }
        if (first.getDayOfMonth() != 1 || !YearMonth.from(first).equals(YearMonth.from(last))
                || last.getDayOfMonth() >= last.lengthOfMonth()) {
            return null;
        }
        return ofMonthToDay(first.getYear(), first.getMonthValue(), last.getDayOfMonth());
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(HistoryPeriod o) {
        int c = Integer.compare(year, o.year);
        if (c == 0) {
            c = kind.compareTo(o.kind);
        }
        if (c == 0) {
            c = Integer.compare(index, o.index);
        }
        return c != 0 ? c : Integer.compare(day, o.day);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case YEAR -> Integer.toString(year);
            case MONTH -> monthKey(year, index);
            case YEAR_TO_DATE -> year + "-Q" + index;
            case MONTH_TO_DAY -> LocalDate.of(year, index, 1) + "/" + LocalDate.of(year, index, day);
        };
    }
}
