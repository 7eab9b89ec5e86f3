package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The figures on record for one total (CONTRACT.md section 5a): the published history, with every period the
 * pipeline counted itself in place of its history figure. Answers what records and first-time crossings are
 * judged against; a period with neither figure is simply not on record.
 *
 * <p>A record is judged against the unbroken run of periods on record that ends with the latest one before it: a
 * gap in the history ends the comparison, and {@code since} says where the run starts, so "the highest June on
 * record (records since 2018)" is true of every June from 2018 on, and no notice claims more history than there is.
 */
final class OnRecord {
    /** The best figure of some earlier periods: its value, the period that holds it, and the first year compared. */
    record Best(long value, String period, String since) {
    }

    private final History history;
    private final CountedTotals counted;
    /** The years with a published monthly or year-to-date figure, by {@code DIMENSION|MEMBER}: fixed, found once. */
    private final Map<String, TreeSet<Integer>> publishedYears = new HashMap<>();

    OnRecord(History history, CountedTotals counted) {
        this.history = history;
        this.counted = counted;
    }

    History history() {
        return history;
    }

    CountedTotals counted() {
        return counted;
    }

    /** Annual totals on record by year, in cents (counted years replacing history). */
    TreeMap<Integer, Long> years(Dimension dimension, String member) {
        TreeMap<Integer, Long> years = new TreeMap<>();
        history.of(dimension, member).years().forEach((y, f) -> {
            if (f.cents() != null) {
                years.put(y, f.cents());
            }
        });
        for (String year : counted.countedYears()) {
            Long c = counted.cents(year, dimension, member);
            if (c != null) {
                years.put(Integer.parseInt(year), c);
            }
        }
        return years;
    }

    /** A month's total on record, in cents; null when not on record. */
    Long month(Dimension dimension, String member, int year, int month) {
        Long c = counted.cents(HistoryPeriod.monthKey(year, month), dimension, member);
        if (c != null) {
            return c;
        }
        History.Figure f = history.of(dimension, member).months().get(HistoryPeriod.ofMonth(year, month));
        return f == null ? null : f.cents();
    }

    /** The highest full year before {@code year}, of the unbroken run of years ending with the last one on record. */
    Best annualBefore(Dimension dimension, String member, int year) {
        return best(unbroken(years(dimension, member).headMap(year, false)), y -> Integer.toString(y));
    }

    /** The highest same calendar month of the unbroken run of earlier years with that month on record; null when none. */
    Best calendarMonthBefore(Dimension dimension, String member, int year, int month) {
        TreeMap<Integer, Long> earlier = new TreeMap<>();
        for (int y : yearsBefore(dimension, member, year)) {
            Long c = month(dimension, member, y, month);
            if (c != null) {
                earlier.put(y, c);
            }
        }
        return best(unbroken(earlier), y -> HistoryPeriod.monthKey(y, month));
    }

    /** The highest month of the unbroken run of months on record that ends right before {@code year}-{@code month}. */
    Best monthBefore(Dimension dimension, String member, int year, int month) {
        // Months as year * 12 + month - 1, so that consecutive months are consecutive numbers.
        TreeMap<Integer, Long> earlier = new TreeMap<>();
        for (int y : yearsBefore(dimension, member, year + 1)) {
            for (int m = 1; m <= 12 && (y < year || m < month); m++) {
                Long c = month(dimension, member, y, m);
                if (c != null) {
                    earlier.put(y * 12 + m - 1, c);
                }
            }
        }
        NavigableMap<Integer, Long> run = unbroken(earlier);
        Best best = best(run, i -> HistoryPeriod.monthKey(i / 12, i % 12 + 1));
        return best == null ? null : new Best(best.value(), best.period(), Integer.toString(run.firstKey() / 12));
    }

    /** The tail of {@code figures} (consecutive keys) that ends with its last key: what an unbroken record covers. */
    static NavigableMap<Integer, Long> unbroken(NavigableMap<Integer, Long> figures) {
        if (figures.isEmpty()) {
            return figures;
        }
        int first = figures.lastKey();
        while (figures.containsKey(first - 1)) {
            first--;
        }
        return figures.tailMap(first, true);
    }

    /** Whether {@code year}-{@code month} beat the same month of every earlier year on record (and had one to beat). */
    boolean isCalendarMonthRecord(Dimension dimension, String member, int year, int month) {
        Long value = month(dimension, member, year, month);
        Best best = value == null ? null : calendarMonthBefore(dimension, member, year, month);
        return best != null && value > best.value();
    }

    /** The earliest year before {@code year} whose total reached {@code cents}; null when none on record did. */
    Integer firstReached(Dimension dimension, String member, long cents, int year) {
        for (var y : years(dimension, member).headMap(year, false).entrySet()) {
            if (y.getValue() >= cents) {
                return y.getKey();
            }
        }
        return null;
    }

    /** The first year of the unbroken run of annual figures before {@code year}; null when none is on record. */
    Integer since(Dimension dimension, String member, int year) {
        NavigableMap<Integer, Long> run = unbroken(years(dimension, member).headMap(year, false));
        return run.isEmpty() ? null : run.firstKey();
    }

    /**
     * The year-to-date value through quarter {@code quarter} of {@code year}: counted (when the pipeline counted
     * every one of its months), else the published year-to-date figure, else the sum of its published months when
     * every one is published; null when none of these is on record.
     */
    Long valueYearToDate(Dimension dimension, String member, int year, int quarter) {
        Long sum = countedYearToDate(dimension, member, year, quarter);
        if (sum != null) {
            return sum;
        }
        History.Series s = history.of(dimension, member);
        History.Figure ytd = s.yearsToDate().get(HistoryPeriod.ofQuarter(year, quarter));
        if (ytd != null && ytd.cents() != null) {
            return ytd.cents();
        }
        long months = 0;
        for (int m = 1; m <= quarter * 3; m++) {
            History.Figure f = s.months().get(HistoryPeriod.ofMonth(year, m));
            if (f == null || f.cents() == null) {
                return null;
            }
            months += f.cents();
        }
        return months;
    }

    /** The counted year-to-date value, when the pipeline counted every month of it; null otherwise. */
    Long countedYearToDate(Dimension dimension, String member, int year, int quarter) {
        long sum = 0;
        for (int m = 1; m <= quarter * 3; m++) {
            Long c = counted.cents(HistoryPeriod.monthKey(year, m), dimension, member);
            if (c == null) {
                return null;
            }
            sum += c;
        }
        return sum;
    }

    /** The published year-to-date exporters through quarter {@code quarter} of {@code year}; null when not published. */
    Long publishedExportersYearToDate(Dimension dimension, String member, int year, int quarter) {
        History.Figure ytd = history.of(dimension, member).yearsToDate().get(HistoryPeriod.ofQuarter(year, quarter));
        return ytd == null ? null : ytd.exporters();
    }

    /**
     * The best of {@code figures}; null when empty. On a tie the latest year at that figure holds the record: it is
     * the one that held it last (2022 and 2024 are both $683.6B confirmed; 2025 passed "2024's record").
     */
    static Best best(NavigableMap<Integer, Long> figures, IntFunction<String> period) {
        if (figures.isEmpty()) {
            return null;
        }
        int holder = figures.firstKey();
        for (var e : figures.entrySet()) {
            if (e.getValue() >= figures.get(holder)) {
                holder = e.getKey();
            }
        }
        return new Best(figures.get(holder), period.apply(holder), Integer.toString(figures.firstKey()));
    }

    /**
     * Years before {@code before} that may have monthly or year-to-date figures: those the history publishes any for,
     * and those the pipeline counted; oldest first.
     */
    SortedSet<Integer> yearsBefore(Dimension dimension, String member, int before) {
        TreeSet<Integer> years = new TreeSet<>(publishedYears.computeIfAbsent(dimension.name() + "|" + member, k -> {
            TreeSet<Integer> published = new TreeSet<>();
            History.Series s = history.of(dimension, member);
            s.months().keySet().forEach(p -> published.add(p.year()));
            s.yearsToDate().keySet().forEach(p -> published.add(p.year()));
            return published;
        }).headSet(before));
        for (String y : counted.countedYears()) {
            int year = Integer.parseInt(y);
            if (year < before) {
                years.add(year);
            }
        }
        return years;
    }
}
