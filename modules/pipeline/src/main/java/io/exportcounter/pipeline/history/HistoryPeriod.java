package io.exportcounter.pipeline.history;

/**
 * A period of the history: a year ({@code 2018}), a month ({@code 2018-06}, {@code index} 1 to 12) or a year
 * to date through a quarter ({@code 2018-Q3}, {@code index} 1 to 4). Written as in the contract's periods.
 */
public record HistoryPeriod(Kind kind, int year, int index) implements Comparable<HistoryPeriod> {
    public enum Kind { YEAR, MONTH, YEAR_TO_DATE }

    public static HistoryPeriod ofYear(int year) {
        return new HistoryPeriod(Kind.YEAR, year, 0);
    }

    public static HistoryPeriod ofMonth(int year, int month) {
        return new HistoryPeriod(Kind.MONTH, year, month);
    }

    public static HistoryPeriod ofQuarter(int year, int quarter) {
        return new HistoryPeriod(Kind.YEAR_TO_DATE, year, quarter);
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
        return null;
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
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case YEAR -> Integer.toString(year);
            case MONTH -> monthKey(year, index);
            case YEAR_TO_DATE -> year + "-Q" + index;
        };
    }
}
