package io.exportcounter.pipeline.forecast;

import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;

/**
 * One forecast, computed (docs/forecast.md explains the method). The year ahead is the run rate of this year
 * times the expected shape of the rest of it:
 *
 * <pre>
 *   expected value of day d   = L x sigma(month) x W(month)^(beta-1) x f(kind of d), split over its hours by the
 *                               hour profile (W: the month's effective working days, the sum of its days' f)
 *   L (level)                 = sum_d w_d v_d / sum_d w_d sigma_m f_k    over the days counted, w_d = 2^(-age/H)
 *   year end                  = S + L1 x (rest of this month) + L2 x (later months) - pending corrections
 * </pre>
 *
 * sigma and beta come from the months of earlier years on record (a month's value grows as W^beta, so holidays
 * moving between months are not taken for seasonality), f and the hour profile from what the pipeline counted, and
 * lambda (how the days after the 20th of each month carry more or less than f says) from the months' first 20 days
 * on record. The half-lives H1 (rest
 * of this month) and H2 (later months) are the ones that would have erred least: H2 in the earlier years on
 * record at the same point of the year, H1 in the completed months counted at the same point of the month. The
 * errors those same forecasts made are the sample the 80% ranges and probabilities are read from.
 */
final class ForecastRun {
    static final double[] HALF_LIVES_DAYS = {7, 14, 30, 60, 120, 240, Double.POSITIVE_INFINITY};
    /** Fewer complete years on record than this and the later months are measured on this year's own months. */
    static final int MIN_HISTORY_YEARS = 3;
    /** A run rate needs at least this many days counted before the point it forecasts from. */
    static final int MIN_DAYS = 7;
    static final double LOW = 0.10;
    static final double HIGH = 0.90;
    /** The customs service publishes each month's first 20 days; the days after them are the month's late part. */
    static final int FIRST_PART_DAYS = 20;

    private final ForecastRequest request;
    private final YearCalendar cal;
    private final int year;
    private final long t;
    private final CountedYear counted;
    private final Shape shape;
    private final Corrections corrections;
    /** Complete years on record before this one: 12 monthly figures in cents. */
    private final SortedMap<Integer, long[]> historyMonths = new TreeMap<>();
    private final SortedMap<Integer, Long> historyAnnual = new TreeMap<>();
    /** Months of earlier years on record, complete years or not: cents, -1 where absent. */
    private final SortedMap<Integer, long[]> recordMonths = new TreeMap<>();
    /** The first 20 days of months of earlier years on record: cents, -1 where absent. */
    private final SortedMap<Integer, long[]> recordFirstParts = new TreeMap<>();
    /** lambda(m): the factor of month m's days after the 20th, on top of their kind's (1 where nothing says otherwise). */
    private final double[] lateFactor = new double[12];
    private final double beta;
    private final double[] sigma;
    private final Forecaster forecaster;

    /** A year's days as the level sees them: values and expected weights. */
    static final class DaySeries {
        final YearCalendar cal;
        final double[] v;
        final double[] omega;

        DaySeries(YearCalendar cal, double[] v, double[] omega) {
            this.cal = cal;
            this.v = v;
            this.omega = omega;
        }

        /** The first second of month {@code m}; 13 is the end of the year. */
        long monthStart(int m) {
            return cal.dayStart(cal.firstDayOfMonth(m));
        }
    }

    /** One measured error: relative errors of the rest of this month and of the later months. */
    record Err(double thisMonth, double later) {
    }

    /** What measures the error of a threshold expected within the current month (see horizonErrors). */
    record Near(List<DaySeries> series, List<Integer> completeMonths, List<Long> dataEnds, double phi, double halfLife,
                long monthEnd) {
    }

    private Near near;

    ForecastRun(Forecaster forecaster, ForecastRequest request) {
        this.forecaster = forecaster;
        this.request = request;
        this.counted = request.counted();
        this.cal = counted.calendar();
        this.year = cal.year();
        this.t = Math.max(cal.start(), Math.min(cal.end(), request.asOf().getEpochSecond()));
        int completeDays = t >= cal.end() ? cal.days() : cal.dayOf(t);
        List<Shape.Observed> observed = new ArrayList<>();
        observed.add(new Shape.Observed(counted, completeDays));
        List<CountedYear> all = new ArrayList<>();
        all.add(counted);
        for (CountedYear e : request.earlierCounted()) {
            observed.add(new Shape.Observed(e, e.calendar().days()));
            all.add(e);
        }
        this.shape = Shape.learn(observed);
        this.corrections = Corrections.learn(all);
        readHistory(request.history());
        learnLateParts();
        this.beta = elasticity(Integer.MIN_VALUE);
        this.sigma = seasonal(Integer.MIN_VALUE, beta);
    }

    private void readHistory(History.Series history) {
        byMonth(history.months(), p -> true, recordMonths);
        byMonth(history.monthsToDay(), p -> p.day() == FIRST_PART_DAYS, recordFirstParts);
        recordMonths.forEach((y, a) -> {
            if (Arrays.stream(a).allMatch(c -> c >= 0)) {
                historyMonths.put(y, a);
            }
        });
        history.years().forEach((y, f) -> {
            if (y < year && f.cents() != null) {
                historyAnnual.put(y, f.cents());
            }
        });
    }

    /** The figures of {@code periods} of the years before this one by year and month (cents, -1 where absent). */
    private void byMonth(Map<HistoryPeriod, History.Figure> figures, Predicate<HistoryPeriod> periods, Map<Integer, long[]> into) {
        figures.forEach((p, f) -> {
            if (p.year() < year && f.cents() != null && periods.test(p)) {
                into.computeIfAbsent(p.year(), y -> {
                    long[] a = new long[12];
                    Arrays.fill(a, -1);
                    return a;
                })[p.index() - 1] = f.cents();
            }
        });
    }

    /**
     * lambda(m), from the months on record with their first 20 days: the ratio of the late part to the first part
     * on record, over the same ratio of the days' factors on that year's calendar; the geometric mean over the years.
     * The factors say how a month-end or a holiday weighs; lambda says how a given calendar month's close runs
     * (December's last third, on record, carries less than its month-ends and late-December days suggest).
     */
    private void learnLateParts() {
        double[] sumLog = new double[12];
        int[] n = new int[12];
        recordFirstParts.forEach((y, first) -> {
            long[] months = recordMonths.get(y);
            if (months == null) {
                return;
            }
            YearCalendar yc = forecaster.calendar(y);
            double[][] parts = parts(yc, d -> shape.factor(yc.kind(d)));
            for (int m = 0; m < 12; m++) {
                double early = parts[0][m];
                double late = parts[1][m];
                if (first[m] > 0 && months[m] > first[m] && early > 0 && late > 0) {
                    sumLog[m] += Math.log(((double) months[m] - first[m]) / first[m] / (late / early));
                    n[m]++;
                }
            }
        });
        for (int m = 0; m < 12; m++) {
            lateFactor[m] = n[m] == 0 ? 1 : Math.exp(sumLog[m] / n[m]);
        }
    }

    /** Per month, the sum of {@code factor} over its first 20 days ({@code [0][m]}) and over the rest ({@code [1][m]}). */
    private static double[][] parts(YearCalendar yc, IntToDoubleFunction factor) {
        double[][] parts = new double[2][12];
        for (int d = 0; d < yc.days(); d++) {
            parts[inLatePart(yc, d) ? 1 : 0][yc.month(d) - 1] += factor.applyAsDouble(d);
        }
        return parts;
    }

    private static boolean inLatePart(YearCalendar yc, int d) {
        return d - yc.firstDayOfMonth(yc.month(d)) >= FIRST_PART_DAYS;
    }

    /** What day {@code d} carries relative to an ordinary working day of its month: f(kind), times lambda after the 20th. */
    private double dayFactor(YearCalendar yc, int d) {
        double f = shape.factor(yc.kind(d));
        return inLatePart(yc, d) ? f * lateFactor[yc.month(d) - 1] : f;
    }

    // ------------------------------------------------------------------ the shape of a year

    /**
     * How a month's value grows with its effective working days W: value ~ W^beta. Estimated on the years on record
     * but {@code excludedYear} by least squares with a fixed effect per year and per calendar month (so only the
     * same month's W moving between years, with its holidays and weekends, identifies it); kept within [0, 1]
     * (more working days never lower exports, and never raise them more than in proportion). 1 when the record is
     * too short to say.
     */
    double elasticity(int excludedYear) {
        List<Integer> ys = new ArrayList<>();
        for (Integer y : historyMonths.keySet()) {
            if (y != excludedYear) {
                ys.add(y);
            }
        }
        if (ys.size() < MIN_HISTORY_YEARS) {
            return 1;
        }
        int n = ys.size();
        double[][] x = new double[n][12];
        double[][] v = new double[n][12];
        for (int i = 0; i < n; i++) {
            double[] w = monthWeights(forecaster.calendar(ys.get(i)));
            long[] months = historyMonths.get(ys.get(i));
            for (int m = 0; m < 12; m++) {
                if (w[m] <= 0 || months[m] <= 0) {
                    return 1;
                }
                x[i][m] = Math.log(w[m]);
                v[i][m] = Math.log(months[m]);
            }
        }
        double[][] xd = demeanTwoWay(x);
        double[][] vd = demeanTwoWay(v);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 12; m++) {
                sxy += xd[i][m] * vd[i][m];
                sxx += xd[i][m] * xd[i][m];
            }
        }
        return sxx < 1e-12 ? 1 : Math.max(0, Math.min(1, sxy / sxx));
    }

    /** A balanced table less its row means and column means, plus the grand mean (the two-way fixed effects). */
    private static double[][] demeanTwoWay(double[][] a) {
        int n = a.length;
        double[] row = new double[n];
        double[] col = new double[12];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 12; m++) {
                row[i] += a[i][m] / 12;
                col[m] += a[i][m] / n;
                grand += a[i][m] / (12.0 * n);
            }
        }
        double[][] d = new double[n][12];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 12; m++) {
                d[i][m] = a[i][m] - row[i] - col[m] + grand;
            }
        }
        return d;
    }

    /**
     * The seasonal index of each month: value per W^beta relative to the year's, averaged over the complete years on
     * record but {@code excludedYear} (beta from the same years); all 1 when there are none.
     */
    double[] seasonal(int excludedYear, double beta) {
        double[] s = new double[12];
        int n = 0;
        for (Map.Entry<Integer, long[]> e : historyMonths.entrySet()) {
            if (e.getKey() == excludedYear) {
                continue;
            }
            YearCalendar yc = forecaster.calendar(e.getKey());
            double[] w = monthWeights(yc);
            double annual = 0;
            double weight = 0;
            for (int m = 0; m < 12; m++) {
                annual += e.getValue()[m];
                weight += Math.pow(w[m], beta);
            }
            if (annual <= 0 || weight <= 0) {
                continue;
            }
            for (int m = 0; m < 12; m++) {
                s[m] += w[m] > 0 ? (e.getValue()[m] / Math.pow(w[m], beta)) / (annual / weight) : 0;
            }
            n++;
        }
        for (int m = 0; m < 12; m++) {
            s[m] = n == 0 ? 1 : s[m] / n;
        }
        return s;
    }

    /** The effective working days of each month of a year: the sum of its days' factors. */
    private double[] monthWeights(YearCalendar yc) {
        double[] w = new double[12];
        for (int d = 0; d < yc.days(); d++) {
            w[yc.month(d) - 1] += dayFactor(yc, d);
        }
        return w;
    }

    /** Each day's expected weight: its month's sigma x W^(beta-1) (the month's value per effective day) x its factor. */
    private double[] omega(YearCalendar yc, double[] seasonal, double beta) {
        double[] w = monthWeights(yc);
        double[] o = new double[yc.days()];
        for (int d = 0; d < yc.days(); d++) {
            int m = yc.month(d) - 1;
            o[d] = w[m] > 0 ? seasonal[m] * Math.pow(w[m], beta - 1) * dayFactor(yc, d) : 0;
        }
        return o;
    }

    private DaySeries countedSeries(CountedYear y) {
        double[] v = new double[y.calendar().days()];
        for (int d = 0; d < v.length; d++) {
            v[d] = y.centsOnDay(d);
        }
        return new DaySeries(y.calendar(), v, omega(y.calendar(), sigma, beta));
    }

    /**
     * A year on record spread over its days by their factors (each month's first 20 days and the rest apart where
     * the first 20 days are on record), shaped by the seasonal index without that year.
     */
    private DaySeries pseudoSeries(int y, long[] months) {
        YearCalendar yc = forecaster.calendar(y);
        long[] first = recordFirstParts.get(y);
        double[][] parts = parts(yc, d -> dayFactor(yc, d));
        double[] early = parts[0];
        double[] late = parts[1];
        double[] v = new double[yc.days()];
        for (int d = 0; d < yc.days(); d++) {
            int m = yc.month(d) - 1;
            boolean latePart = inLatePart(yc, d);
            double part = latePart ? late[m] : early[m];
            if (first != null && first[m] > 0 && first[m] < months[m] && part > 0) {
                v[d] = (latePart ? months[m] - first[m] : first[m]) * dayFactor(yc, d) / part;
            } else if (early[m] + late[m] > 0) {
                v[d] = months[m] * dayFactor(yc, d) / (early[m] + late[m]);
            }
        }
        double b = elasticity(y);
        return new DaySeries(yc, v, omega(yc, seasonal(y, b), b));
    }

    // ------------------------------------------------------------------ the level and the expected flow

    /** L: the weighted value per unit of expected weight over the days before {@code cut}; NaN without data. */
    double level(DaySeries s, long cut, boolean cutDayComplete, double halfLifeDays) {
        YearCalendar c = s.cal;
        if (cut <= c.start()) {
            return Double.NaN;
        }
        int cutDay = cut >= c.end() ? c.days() : c.dayOf(cut);
        double k = Double.isInfinite(halfLifeDays) ? 0 : Math.log(2) / halfLifeDays;
        double num = 0;
        double den = 0;
        for (int d = 0; d < cutDay; d++) {
            double age = (cut - (c.dayStart(d) + c.dayStart(d + 1)) / 2.0) / YearCalendar.SECONDS_PER_DAY;
            double w = k == 0 ? 1 : Math.exp(-k * age);
            num += w * s.v[d];
            den += w * s.omega[d];
        }
        if (cutDay < c.days()) {
            double frac = shape.dayFraction(c.kind(cutDay), cut - c.dayStart(cutDay));
            if (frac > 0) {
                double age = (cut - c.dayStart(cutDay)) / 2.0 / YearCalendar.SECONDS_PER_DAY;
                double w = k == 0 ? 1 : Math.exp(-k * age);
                num += w * (cutDayComplete ? s.v[cutDay] * frac : s.v[cutDay]);
                den += w * s.omega[cutDay] * frac;
            }
        }
        return den > 0 ? num / den : Double.NaN;
    }

    /** The expected weight accepted in [from, to). */
    double expected(DaySeries s, long from, long to) {
        return prorated(s, s.omega, from, to);
    }

    /** The value of a series whose days are complete accepted in [from, to), the cut days prorated by the hour profile. */
    double actual(DaySeries s, long from, long to) {
        return prorated(s, s.v, from, to);
    }

    /**
     * The sum over [from, to) of {@code perDay}, one amount a day of the series' calendar: whole days count in full,
     * the days {@code from} and {@code to} cut by the share of the day's hour profile that falls inside.
     */
    private double prorated(DaySeries s, double[] perDay, long from, long to) {
        YearCalendar c = s.cal;
        from = Math.max(from, c.start());
        to = Math.min(to, c.end());
        if (to <= from) {
            return 0;
        }
        double sum = 0;
        for (int d = c.dayOf(from), last = c.dayOf(to - 1); d <= last; d++) {
            long start = c.dayStart(d);
            long a = Math.max(from, start) - start;
            long b = Math.min(to, c.dayStart(d + 1)) - start;
            sum += perDay[d] * (shape.dayFraction(c.kind(d), b) - shape.dayFraction(c.kind(d), a));
        }
        return sum;
    }

    /** The instant of month {@code m} by which {@code phi} of the month's expected value is accepted. */
    long at(DaySeries s, int m, double phi) {
        YearCalendar c = s.cal;
        int first = c.firstDayOfMonth(m);
        int last = c.firstDayOfMonth(m + 1);
        double total = 0;
        for (int d = first; d < last; d++) {
            total += s.omega[d];
        }
        if (phi <= 0 || total <= 0) {
            return c.dayStart(first);
        }
        if (phi >= 1) {
            return c.dayStart(last);
        }
        double target = phi * total;
        double acc = 0;
        for (int d = first; d < last; d++) {
            if (s.omega[d] > 0 && acc + s.omega[d] >= target) {
                double seconds = shape.secondsAtFraction(c.kind(d), (target - acc) / s.omega[d]);
                return Math.min(c.dayStart(d + 1), c.dayStart(d) + Math.round(seconds));
            }
            acc += s.omega[d];
        }
        return c.dayStart(last);
    }

    private static int daysBefore(DaySeries s, long cut) {
        return cut >= s.cal.end() ? s.cal.days() : Math.max(0, s.cal.dayOf(Math.max(cut, s.cal.start())));
    }

    // ------------------------------------------------------------------ measured errors

    /** Relative errors per half-life (index of HALF_LIVES_DAYS), and the half-life chosen. */
    record Measured(List<List<Double>> byHalfLife, int chosen) {
        List<Double> errors() {
            return chosen < 0 ? List.of() : byHalfLife.get(chosen);
        }

        double halfLife() {
            return chosen < 0 ? Double.NaN : HALF_LIVES_DAYS[chosen];
        }
    }

    private static List<List<Double>> emptyPerHalfLife() {
        List<List<Double>> l = new ArrayList<>();
        for (int i = 0; i < HALF_LIVES_DAYS.length; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    private static int argminMeanSquare(List<List<Double>> errors) {
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < errors.size(); i++) {
            List<Double> e = errors.get(i);
            if (e.size() < 3) {
                continue;
            }
            double score = e.stream().mapToDouble(x -> x * x).average().orElse(Double.POSITIVE_INFINITY);
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    /**
     * The rest of a month, forecast at the same point of the month ({@code phi} of its expected value accepted)
     * in every completed month counted: this year's before the current one, and every month of earlier years.
     */
    Measured restOfMonthErrors(List<DaySeries> series, List<Integer> completeMonths, double phi) {
        List<List<Double>> errors = emptyPerHalfLife();
        for (int i = 0; i < series.size(); i++) {
            DaySeries s = series.get(i);
            for (int m = 1; m <= completeMonths.get(i); m++) {
                long cut = at(s, m, phi);
                if (daysBefore(s, cut) < MIN_DAYS) {
                    continue;
                }
                addWindowErrors(errors, s, cut, cut, s.monthStart(m + 1));
            }
        }
        return new Measured(errors, argminMeanSquare(errors));
    }

    /**
     * Adds, for each half-life, the relative error of the forecast made at {@code cut} of what [from, to) accepts;
     * a forecast of nothing tells nothing and is left out.
     */
    private void addWindowErrors(List<List<Double>> errors, DaySeries s, long cut, long from, long to) {
        double weight = expected(s, from, to);
        double actual = actual(s, from, to);
        for (int h = 0; h < HALF_LIVES_DAYS.length; h++) {
            double predicted = level(s, cut, true, HALF_LIVES_DAYS[h]) * weight;
            if (predicted > 0) {
                errors.get(h).add(actual / predicted - 1);
            }
        }
    }

    /**
     * The later months, forecast in each complete year on record at the same point of the year; the half-life is
     * chosen over the neighbouring months too, so one odd month does not decide it. Also gives the error of the
     * whole rest of the year ({@code whole}), used while no completed month measures the rest of the current one.
     */
    Measured laterMonthErrorsOnRecord(int month, double phi, List<List<Double>> whole) {
        List<List<Double>> atMonth = emptyPerHalfLife();
        List<List<Double>> around = emptyPerHalfLife();
        for (Map.Entry<Integer, long[]> e : historyMonths.entrySet()) {
            DaySeries s = pseudoSeries(e.getKey(), e.getValue());
            for (int m = Math.max(1, month - 1); m <= Math.min(11, month + 1); m++) {
                long cut = at(s, m, phi);
                if (daysBefore(s, cut) < MIN_DAYS) {
                    continue;
                }
                long monthEnd = s.monthStart(m + 1);
                double laterWeight = expected(s, monthEnd, s.cal.end());
                double laterActual = 0;
                for (int j = m; j < 12; j++) {
                    laterActual += e.getValue()[j];
                }
                double restWeight = expected(s, cut, s.cal.end());
                double restActual = actual(s, cut, s.cal.end());
                for (int h = 0; h < HALF_LIVES_DAYS.length; h++) {
                    double l = level(s, cut, true, HALF_LIVES_DAYS[h]);
                    if (!(l > 0)) {
                        continue;
                    }
                    double err = laterActual / (l * laterWeight) - 1;
                    around.get(h).add(err);
                    if (m == month) {
                        atMonth.get(h).add(err);
                        whole.get(h).add(restActual / (l * restWeight) - 1);
                    }
                }
            }
        }
        int chosen = argminMeanSquare(around);
        return new Measured(atMonth, chosen);
    }

    /** Without history: the later months measured on the months counted (the next {@code ahead} months after a cut). */
    Measured laterMonthErrorsCounted(List<DaySeries> series, List<Integer> completeMonths, double phi, int ahead) {
        List<List<Double>> errors = emptyPerHalfLife();
        for (int i = 0; i < series.size(); i++) {
            DaySeries s = series.get(i);
            for (int m = 1; m + ahead <= completeMonths.get(i); m++) {
                long cut = at(s, m, phi);
                if (daysBefore(s, cut) < MIN_DAYS) {
                    continue;
                }
                long from = s.monthStart(m + 1);
                long to = m + ahead + 1 > 12 ? s.cal.end() : s.monthStart(m + ahead + 1);
                addWindowErrors(errors, s, cut, from, to);
            }
        }
        return new Measured(errors, argminMeanSquare(errors));
    }

    /**
     * The value of the next {@code horizon} seconds, forecast at the same point of the month in every completed
     * month counted (as far as whole counted days reach): the error that matters for a threshold expected within
     * the month, hours or days away, rather than that of the whole rest of the month. Days are the finest grain
     * counted, so a crossing hours away is measured by how far whole days strayed.
     */
    List<Double> horizonErrors(List<DaySeries> series, List<Integer> completeMonths, List<Long> dataEnds, double phi,
                               long horizon, double halfLife) {
        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            DaySeries s = series.get(i);
            for (int m = 1; m <= completeMonths.get(i); m++) {
                long cut = at(s, m, phi);
                long to = cut + horizon;
                if (daysBefore(s, cut) < MIN_DAYS || to > dataEnds.get(i)) {
                    continue;
                }
                double predicted = level(s, cut, true, halfLife) * expected(s, cut, to);
                if (predicted > 0) {
                    errors.add(actual(s, cut, to) / predicted - 1);
                }
            }
        }
        return errors;
    }

    // ------------------------------------------------------------------ the forecast

    Forecast run() {
        long total = counted.totalCents();
        List<Long> thresholds = new ArrayList<>(new TreeSet<>(request.thresholdsCents()));
        thresholds.removeIf(k -> k <= total);
        List<Integer> historyYears = List.copyOf(historyMonths.keySet());
        if (t >= cal.end()) {
            List<Forecast.ThresholdForecast> none = new ArrayList<>();
            for (long k : thresholds) {
                none.add(new Forecast.ThresholdForecast(k, null, null, null, 0.0));
            }
            return forecast(total, total, new Forecast.Range(total, total), none,
                    "the year is over: its total as counted", Double.NaN, Double.NaN, historyYears, 0, 0);
        }
        int today = cal.dayOf(t);
        int month = cal.month(today);
        DaySeries thisYear = countedSeries(counted);
        DaySeries levelSeries = withoutPendingCorrections(thisYear, today);
        Paths paths;
        List<Err> errors = new ArrayList<>();
        String method;
        double h1 = Double.NaN;
        double h2 = Double.NaN;
        int withinMonth = 0;
        int laterMonths = 0;
        if (today < MIN_DAYS) {
            // Too little counted for a run rate: last year's total, with the year-on-year changes on record as errors.
            Long last = lastYearTotal();
            if (last == null) {
                return forecast(total, total, null, unknown(thresholds),
                        "no forecast yet: fewer than " + MIN_DAYS + " days counted and no earlier year on record",
                        h1, h2, historyYears, 0, 0);
            }
            double l = last / expected(thisYear, cal.start(), cal.end());
            paths = paths(thisYear, l, l);
            List<Integer> ys = new ArrayList<>(historyAnnual.keySet());
            for (int i = 1; i < ys.size(); i++) {
                if (ys.get(i) == ys.get(i - 1) + 1 && historyAnnual.get(ys.get(i - 1)) > 0) {
                    double g = (double) historyAnnual.get(ys.get(i)) / historyAnnual.get(ys.get(i - 1)) - 1;
                    errors.add(new Err(g, g));
                }
            }
            laterMonths = errors.size();
            method = "last year's total x the shape of the year on record; 80% range from " + errors.size()
                    + " year-on-year changes on record (fewer than " + MIN_DAYS + " days counted)";
        } else {
            long monthStart = thisYear.monthStart(month);
            long monthEnd = month == 12 ? cal.end() : thisYear.monthStart(month + 1);
            double monthWeight = expected(thisYear, monthStart, monthEnd);
            double phi = monthWeight > 0 ? expected(thisYear, monthStart, t) / monthWeight : 0;

            List<DaySeries> counteds = new ArrayList<>();
            List<Integer> complete = new ArrayList<>();
            List<Long> dataEnds = new ArrayList<>();
            counteds.add(thisYear);
            complete.add(month - 1);
            dataEnds.add(cal.dayStart(today));
            for (CountedYear e : request.earlierCounted()) {
                counteds.add(countedSeries(e));
                complete.add(12);
                dataEnds.add(e.calendar().end());
            }

            Measured thisMonth = restOfMonthErrors(counteds, complete, phi);
            List<List<Double>> whole = emptyPerHalfLife();
            Measured later = null;
            boolean laterOnRecord = false;
            if (month < 12) {
                if (historyMonths.size() >= MIN_HISTORY_YEARS) {
                    later = laterMonthErrorsOnRecord(month, phi, whole);
                    laterOnRecord = true;
                } else {
                    later = laterMonthErrorsCounted(counteds, complete, phi, 12 - month);
                }
            }
            double fallback = later != null && later.chosen() >= 0 ? later.halfLife() : Double.POSITIVE_INFINITY;
            h1 = thisMonth.chosen() >= 0 ? thisMonth.halfLife() : fallback;
            h2 = later == null ? Double.NaN : later.chosen() >= 0 ? later.halfLife() : h1;
            double l1 = level(levelSeries, t, false, h1);
            double l2 = month < 12 ? level(levelSeries, t, false, h2) : 0;
            if (!(l1 >= 0) || !(l2 >= 0)) {
                l1 = Math.max(0, Double.isNaN(l1) ? 0 : l1);
                l2 = Math.max(0, Double.isNaN(l2) ? 0 : l2);
            }
            paths = paths(thisYear, l1, l2);
            near = new Near(counteds, complete, dataEnds, phi, h1, monthEnd);
            List<Double> e1 = thisMonth.errors();
            List<Double> e2 = later == null ? List.of() : later.errors();
            withinMonth = e1.size();
            laterMonths = e2.size();
            if (month == 12) {
                e1.forEach(a -> errors.add(new Err(a, 0)));
            } else if (!e1.isEmpty() && !e2.isEmpty()) {
                for (double a : e1) {
                    for (double b : e2) {
                        errors.add(new Err(a, b));
                    }
                }
            } else if (e1.isEmpty() && laterOnRecord && later.chosen() >= 0) {
                whole.get(later.chosen()).forEach(a -> errors.add(new Err(a, a)));
                laterMonths = errors.size();
            }
            method = describe(h1, h2, month, historyYears, withinMonth, laterMonths, laterOnRecord, errors.isEmpty());
        }
        return finish(total, thresholds, paths, errors, method, h1, h2, historyYears, withinMonth, laterMonths);
    }

    private Long lastYearTotal() {
        Long last = historyAnnual.get(year - 1);
        if (last == null) {
            for (CountedYear e : request.earlierCounted()) {
                if (e.year() == year - 1) {
                    last = e.totalCents();
                }
            }
        }
        if (last == null && historyMonths.containsKey(year - 1)) {
            last = Arrays.stream(historyMonths.get(year - 1)).sum();
        }
        return last;
    }

    /** The level's view of this year: recent days less the corrections still expected to come for them. */
    private DaySeries withoutPendingCorrections(DaySeries s, int today) {
        if (corrections.share() == 0) {
            return s;
        }
        double[] v = s.v.clone();
        for (int d = Math.max(0, today - CountedYear.LAG_BUCKETS); d <= today; d++) {
            long start = cal.dayStart(d);
            long mid = d < today ? (start + cal.dayStart(d + 1)) / 2 : (start + t) / 2;
            v[d] -= corrections.pending(v[d], (t - mid) / (double) YearCalendar.SECONDS_PER_DAY);
        }
        return new DaySeries(s.cal, v, s.omega);
    }

    private static String fmtHalfLife(double h) {
        return Double.isInfinite(h) ? "the whole year so far" : "a " + (int) h + "-day half-life";
    }

    private String describe(double h1, double h2, int month, List<Integer> historyYears, int withinMonth, int laterMonths,
                            boolean laterOnRecord, boolean noErrors) {
        StringBuilder sb = new StringBuilder("run rate of this year (").append(fmtHalfLife(h1)).append(" for this month");
        if (month < 12) {
            sb.append(", ").append(fmtHalfLife(h2)).append(" beyond");
        }
        sb.append(") x the shape of the rest of the year: ");
        sb.append(historyYears.isEmpty() ? "no months on record"
                : "months on record " + historyYears.get(0) + "-" + historyYears.get(historyYears.size() - 1));
        sb.append(cal.holidaysCovered() ? ", public holidays" : ", weekends (no holiday table for " + year + ")");
        sb.append(", month-end and year-end bunching and hours as counted");
        if (noErrors) {
            sb.append("; no 80% range for the year end yet: nothing measured the error of the later months");
        } else {
            sb.append("; 80% ranges from the same method's errors in ").append(withinMonth).append(" counted months");
            if (month < 12) {
                sb.append(" and ").append(laterMonths).append(laterOnRecord ? " earlier years on record" : " counted stretches");
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ paths from now to the end of the year

    /** Cumulative expected value from t at the end of each hour slot: this month's, later months', corrections'. */
    static final class Paths {
        final long[] slotStart;
        final long[] slotEnd;
        final double[] thisMonth;
        final double[] later;
        final double[] corrections;
        final int n;

        Paths(int capacity) {
            slotStart = new long[capacity];
            slotEnd = new long[capacity];
            thisMonth = new double[capacity];
            later = new double[capacity];
            corrections = new double[capacity];
            n = 0;
        }

        Paths(Paths p, int n) {
            slotStart = p.slotStart;
            slotEnd = p.slotEnd;
            thisMonth = p.thisMonth;
            later = p.later;
            corrections = p.corrections;
            this.n = n;
        }

        double thisMonthTotal() {
            return n == 0 ? 0 : thisMonth[n - 1];
        }

        double laterTotal() {
            return n == 0 ? 0 : later[n - 1];
        }

        double correctionsTotal() {
            return n == 0 ? 0 : corrections[n - 1];
        }
    }

    Paths paths(DaySeries s, double l1, double l2) {
        int today = cal.dayOf(t);
        int month = cal.month(today);
        Paths p = new Paths((cal.days() - today) * 24 + 2);
        int n = 0;
        double c1 = 0;
        double c2 = 0;
        int firstPending = Math.max(0, today - CountedYear.LAG_BUCKETS);
        double[] pendingAge0 = new double[today - firstPending + 1];
        long[] mid = new long[pendingAge0.length];
        for (int d = firstPending; d <= today; d++) {
            long start = cal.dayStart(d);
            mid[d - firstPending] = d < today ? (start + cal.dayStart(d + 1)) / 2 : (start + t) / 2;
            pendingAge0[d - firstPending] = corrections.arrived((t - mid[d - firstPending]) / (double) YearCalendar.SECONDS_PER_DAY);
        }
        for (int d = today; d < cal.days(); d++) {
            long dayStart = cal.dayStart(d);
            long dayEnd = cal.dayStart(d + 1);
            DayKind kind = cal.kind(d);
            for (int h = 0; h < 24; h++) {
                long hs = dayStart + h * 3600L;
                long he = h == 23 ? dayEnd : Math.min(dayEnd, hs + 3600);
                if (he <= t || hs >= dayEnd) {
                    continue;
                }
                long from = Math.max(hs, t);
                double flow = s.omega[d] * shape.hourShare(kind.hourGroup(), h) * (he - from) / (double) (he - hs);
                if (cal.month(d) == month) {
                    c1 += l1 * flow;
                } else {
                    c2 += l2 * flow;
                }
                double pending = 0;
                if (corrections.share() != 0) {
                    for (int i = 0; i < pendingAge0.length; i++) {
                        double v = s.v[firstPending + i];
                        double arrived = corrections.arrived((he - mid[i]) / (double) YearCalendar.SECONDS_PER_DAY);
                        pending -= corrections.share() * v * (arrived - pendingAge0[i]);
                    }
                }
                p.slotStart[n] = from;
                p.slotEnd[n] = he;
                p.thisMonth[n] = c1;
                p.later[n] = c2;
                p.corrections[n] = pending;
                n++;
            }
        }
        return new Paths(p, n);
    }

    /** When the total first reaches {@code threshold} on the path scaled by the errors; +infinity if not this year. */
    static double crossing(long total, long threshold, Paths p, double e1, double e2) {
        double prev = total;
        for (int i = 0; i < p.n; i++) {
            double f = total + (1 + e1) * p.thisMonth[i] + (1 + e2) * p.later[i] + p.corrections[i];
            if (f >= threshold) {
                double span = p.slotEnd[i] - p.slotStart[i];
                double share = f > prev ? Math.max(0, Math.min(1, (threshold - prev) / (f - prev))) : 1;
                return p.slotStart[i] + share * span;
            }
            prev = f;
        }
        return Double.POSITIVE_INFINITY;
    }

    private Forecast finish(long total, List<Long> thresholds, Paths p, List<Err> errors, String method, double h1,
                            double h2, List<Integer> historyYears, int withinMonth, int laterMonths) {
        double rest = p.thisMonthTotal() + p.laterTotal() + p.correctionsTotal();
        long projected = total + Math.round(rest);
        Forecast.Range range = null;
        if (!errors.isEmpty()) {
            double[] ends = new double[errors.size()];
            for (int i = 0; i < ends.length; i++) {
                Err e = errors.get(i);
                ends[i] = (1 + e.thisMonth()) * p.thisMonthTotal() + (1 + e.later()) * p.laterTotal() + p.correctionsTotal();
            }
            Arrays.sort(ends);
            range = new Forecast.Range(total + Math.round(Quantiles.ofSorted(ends, LOW)),
                    total + Math.round(Quantiles.ofSorted(ends, HIGH)));
        }
        List<Forecast.ThresholdForecast> out = new ArrayList<>();
        for (long k : thresholds) {
            double central = crossing(total, k, p, 0, 0);
            Instant expectedAt = Double.isInfinite(central) ? null : Instant.ofEpochSecond(Math.round(central));
            List<Err> errs = errors;
            if (near != null && central <= near.monthEnd()) {
                // Expected within this month: the error over the time until then, not over the whole month.
                List<Double> h = horizonErrors(near.series(), near.completeMonths(), near.dataEnds(), near.phi(),
                        Math.max(1, Math.round(central) - t), near.halfLife());
                if (h.size() >= MIN_HISTORY_YEARS) {
                    errs = h.stream().map(e -> new Err(e, 0)).toList();
                }
            }
            if (errs.isEmpty()) {
                out.add(new Forecast.ThresholdForecast(k, expectedAt, null, null, null));
                continue;
            }
            double[] times = new double[errs.size()];
            int crossing = 0;
            for (int i = 0; i < times.length; i++) {
                times[i] = crossing(total, k, p, errs.get(i).thisMonth(), errs.get(i).later());
                if (!Double.isInfinite(times[i])) {
                    crossing++;
                }
            }
            Arrays.sort(times);
            double early = Quantiles.ofSorted(times, LOW);
            double late = Quantiles.ofSorted(times, HIGH);
            out.add(new Forecast.ThresholdForecast(k, expectedAt,
                    Double.isInfinite(early) ? null : Instant.ofEpochSecond(Math.round(early)),
                    Double.isInfinite(late) ? null : Instant.ofEpochSecond(Math.round(late)),
                    (double) crossing / times.length));
        }
        return forecast(total, projected, range, out, method, h1, h2, historyYears, withinMonth, laterMonths);
    }

    private static List<Forecast.ThresholdForecast> unknown(List<Long> thresholds) {
        List<Forecast.ThresholdForecast> out = new ArrayList<>();
        for (long k : thresholds) {
            out.add(new Forecast.ThresholdForecast(k, null, null, null, null));
        }
        return out;
    }

    private Forecast forecast(long total, long projected, Forecast.Range range, List<Forecast.ThresholdForecast> thresholds,
                              String method, double h1, double h2, List<Integer> historyYears, int withinMonth, int laterMonths) {
        Forecast.Basis basis = new Forecast.Basis(h1, h2, historyYears, beta, withinMonth, laterMonths, corrections.share(),
                cal.holidaysCovered());
        return new Forecast(year, request.dimension(), request.member(), request.asOf(), total, projected, range, thresholds,
                method, basis);
    }
}
