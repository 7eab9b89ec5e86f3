package io.exportcounter.pipeline.forecast;

import java.util.List;

/**
 * The shape of a year's days and hours as the pipeline counted them: how much each {@link DayKind} carries
 * relative to an ordinary working day of the same month, and the share of a day's value accepted in each hour,
 * per {@link DayKind.HourGroup}.
 */
final class Shape {
    /** A month's ordinary working days must be at least this many to serve as its yardstick. */
    static final int MIN_WORKING_DAYS = 3;
    /**
     * A kind's factor starts from this many days at its fallback's factor (a working week), so a kind seen on a day
     * or two (the year's last three working days, counted once a year) is not read from one day's big ships.
     */
    static final double PRIOR_DAYS = 5;

    private final double[] factor = new double[DayKind.values().length];
    private final boolean[] seen = new boolean[DayKind.values().length];
    /** hourCumulative[group][h]: the share of a day's value accepted before hour h (h = 0..24). */
    private final double[][] hourCumulative = new double[DayKind.HourGroup.values().length][25];
    private final double[][] hourShare = new double[DayKind.HourGroup.values().length][24];

    /** A counted year and how many of its days are complete (the rest are not used). */
    record Observed(CountedYear year, int completeDays) {
    }

    private Shape() {
    }

    static Shape learn(List<Observed> observed) {
        Shape s = new Shape();
        double[] num = new double[DayKind.values().length];
        double[] den = new double[DayKind.values().length];
        int[] days = new int[DayKind.values().length];
        for (Observed o : observed) {
            YearCalendar cal = o.year().calendar();
            for (int m = 1; m <= 12; m++) {
                int first = cal.firstDayOfMonth(m);
                int last = Math.min(cal.firstDayOfMonth(m + 1), o.completeDays());
                double sum = 0;
                int n = 0;
                for (int d = first; d < last; d++) {
                    if (cal.kind(d) == DayKind.WORKING) {
                        sum += o.year().centsOnDay(d);
                        n++;
                    }
                }
                if (n < MIN_WORKING_DAYS || sum <= 0) {
                    continue;
                }
                double base = sum / n;
                for (int d = first; d < last; d++) {
                    DayKind k = cal.kind(d);
                    if (k != DayKind.WORKING) {
                        num[k.ordinal()] += o.year().centsOnDay(d);
                        den[k.ordinal()] += base;
                        days[k.ordinal()]++;
                    }
                }
            }
        }
        s.factor[DayKind.WORKING.ordinal()] = 1;
        s.seen[DayKind.WORKING.ordinal()] = true;
        // In declaration order, so a kind's fallback has its factor before the kind itself.
        for (DayKind k : DayKind.values()) {
            int i = k.ordinal();
            if (k == DayKind.WORKING) {
                continue;
            }
            DayKind f = k.fallback();
            if (den[i] > 0) {
                s.seen[i] = true;
                double prior = f == null ? 0 : PRIOR_DAYS * den[i] / days[i];
                double fallbackFactor = f == null ? 0 : s.factor[f.ordinal()];
                s.factor[i] = Math.max(0, (num[i] + prior * fallbackFactor) / (den[i] + prior));
            } else {
                s.factor[i] = f == null ? 0 : s.factor[f.ordinal()];
            }
        }
        s.learnHours(observed);
        return s;
    }

    private void learnHours(List<Observed> observed) {
        DayKind.HourGroup[] groups = DayKind.HourGroup.values();
        double[][] cents = new double[groups.length][24];
        double[] total = new double[groups.length];
        for (Observed o : observed) {
            CountedYear y = o.year();
            // A day still in progress (the open day, not complete yet) would weigh its morning twice as much as its evening.
            int open = y.openDay();
            DayKind.HourGroup openGroup = open >= o.completeDays() && open >= 0 ? y.calendar().kind(open).hourGroup() : null;
            for (DayKind.HourGroup g : groups) {
                for (int h = 0; h < 24; h++) {
                    double c = Math.max(0, y.centsInHour(g, h) - (g == openGroup ? y.centsInOpenDayHour(h) : 0));
                    cents[g.ordinal()][h] += c;
                    total[g.ordinal()] += c;
                }
            }
        }
        for (DayKind.HourGroup g : groups) {
            double[] source;
            double sum;
            if (total[g.ordinal()] > 0) {
                source = cents[g.ordinal()];
                sum = total[g.ordinal()];
            } else if (total[DayKind.HourGroup.ORDINARY.ordinal()] > 0) {
                source = cents[DayKind.HourGroup.ORDINARY.ordinal()];
                sum = total[DayKind.HourGroup.ORDINARY.ordinal()];
            } else {
                source = null;
                sum = 24;
            }
            double cum = 0;
            for (int h = 0; h < 24; h++) {
                double share = (source == null ? 1 : source[h]) / sum;
                hourShare[g.ordinal()][h] = share;
                hourCumulative[g.ordinal()][h] = cum;
                cum += share;
            }
            hourCumulative[g.ordinal()][24] = 1;
        }
    }

    /** How much a day of {@code kind} carries relative to an ordinary working day of the same month. */
    double factor(DayKind kind) {
        return factor[kind.ordinal()];
    }

    /** Whether the factor of {@code kind} was measured (rather than borrowed from its fallback). */
    boolean seen(DayKind kind) {
        return seen[kind.ordinal()];
    }

    /** The share of a day's value accepted in hour {@code hour} on days of {@code group}. */
    double hourShare(DayKind.HourGroup group, int hour) {
        return hourShare[group.ordinal()][hour];
    }

    /** The share of a day's value accepted in its first {@code seconds} seconds. */
    double dayFraction(DayKind kind, long seconds) {
        if (seconds <= 0) {
            return 0;
        }
        if (seconds >= YearCalendar.SECONDS_PER_DAY) {
            return 1;
        }
        int g = kind.hourGroup().ordinal();
        int h = (int) (seconds / 3600);
        return hourCumulative[g][h] + hourShare[g][h] * ((seconds - h * 3600L) / 3600.0);
    }

    /** The seconds into a day of {@code kind} by which {@code fraction} of its value is accepted (inverse of dayFraction). */
    double secondsAtFraction(DayKind kind, double fraction) {
        int g = kind.hourGroup().ordinal();
        for (int h = 0; h < 24; h++) {
            double share = hourShare[g][h];
            if (hourCumulative[g][h] + share >= fraction && share > 0) {
                return h * 3600.0 + Math.max(0, fraction - hourCumulative[g][h]) / share * 3600.0;
            }
        }
        return YearCalendar.SECONDS_PER_DAY;
    }
}
