package io.exportcounter.benchmarks;

import io.exportcounter.benchmarks.ForecastBacktest.Mode;
import io.exportcounter.benchmarks.ForecastBacktest.Outcome;
import io.exportcounter.benchmarks.ForecastBacktest.Point;
import io.exportcounter.pipeline.forecast.Forecast;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables of docs/forecast.md from one backtest run. */
final class ForecastReport {
    private static final String[] DECEMBER_700B = {"Dec 1 (end of Nov)", "Dec 15", "Dec 22", "Dec 28", "Dec 29 9 a.m."};

    private final List<Integer> years;
    private final List<Long> seeds;
    private final int declarations;
    private final List<Long> thresholds;
    private final List<Point> points;
    private final Map<String, Outcome> outcomes;
    private final Duration elapsed;
    private final int forecasts;
    private final Duration forecastTime;

    ForecastReport(List<Integer> years, List<Long> seeds, int declarations, List<Long> thresholds, List<Point> points,
                   Map<String, Outcome> outcomes, Duration elapsed, int forecasts, Duration forecastTime) {
        this.years = years;
        this.seeds = seeds;
        this.declarations = declarations;
        this.thresholds = thresholds;
        this.points = points;
        this.outcomes = outcomes;
        this.elapsed = elapsed;
        this.forecasts = forecasts;
        this.forecastTime = forecastTime;
    }

    private Outcome outcome(Point p) {
        return outcomes.get(p.year() + "|" + p.seed());
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        String when = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT));
        sb.append("### Backtest, as measured\n\n");
        sb.append(String.format(Locale.ROOT, "One run of `bin/benchmarks --scenarios forecast` on %s UTC: years %s, seeds %s, %,d "
                        + "simulated declarations a year; %d forecasts in %.1f s of replay (%.0f ms per forecast). "
                        + "Errors are forecast minus outcome. \"Warm\": the pipeline also counted the year before "
                        + "(replayed from that year's published months and their first 20 days, same seed); \"cold\": it started this January.\n\n",
                when, years, seeds, declarations, forecasts, elapsed.toMillis() / 1000.0,
                forecasts == 0 ? 0 : forecastTime.toMillis() / (double) forecasts));
        outcomesLine(sb);
        if (years.contains(2025)) {
            sevenHundred(sb);
        }
        yearEnd(sb);
        calibration(sb);
        return sb.toString();
    }

    private void outcomesLine(StringBuilder sb) {
        sb.append("What the replays came to (the same for every seed: the simulator calibrates each year to the cent):\n\n");
        for (int y : years) {
            Outcome o = outcomes.get(y + "|" + seeds.get(0));
            List<String> crossed = new ArrayList<>();
            o.crossings().forEach((k, t) -> {
                if (k >= 500_000_000_000_00L) {
                    crossed.add("$" + k / 100_000_000_000L + "B " + ForecastBacktest.kst(t));
                }
            });
            sb.append(String.format(Locale.ROOT, "- %d: $%.2fB at the end of the year; crossed %s (KST)%n", y,
                    o.finalCents() / 1e11, String.join(", ", crossed)));
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ $700B of 2025

    private void sevenHundred(StringBuilder sb) {
        sb.append("#### $700B of 2025: the expected time against the real crossing\n\n");
        Instant actual = outcomes.get("2025|" + seeds.get(0)).crossings().get(ForecastBacktest.SEVEN_HUNDRED_B);
        sb.append("Real crossing in the replays: ").append(ForecastBacktest.kst(actual)).append(" KST. Targets: within one day from "
                + "Dec 15, within three hours on the morning of Dec 29.\n\n");
        sb.append("| forecast from | mode | expected (KST, over seeds) | error: mean abs (max) | 80% range (seed ")
                .append(seeds.get(0)).append(") | outcome in range | P(this year) | target |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (String label : DECEMBER_700B) {
            for (Mode mode : Mode.values()) {
                List<Point> ps = points.stream().filter(p -> p.year() == 2025 && p.mode() == mode && p.cut().label().equals(label)).toList();
                if (ps.isEmpty()) {
                    continue;
                }
                List<Double> errors = new ArrayList<>();
                Instant min = null;
                Instant max = null;
                int inside = 0;
                int n = 0;
                double prob = 0;
                String range = "";
                boolean missing = false;
                for (Point p : ps) {
                    Forecast.ThresholdForecast t = threshold(p.forecast(), ForecastBacktest.SEVEN_HUNDRED_B);
                    Instant real = outcome(p).crossings().get(ForecastBacktest.SEVEN_HUNDRED_B);
                    if (t == null) {
                        continue;
                    }
                    n++;
                    if (t.probabilityThisYear() != null) {
                        prob += t.probabilityThisYear();
                    }
                    if (t.expectedAt() == null) {
                        missing = true;
                    } else {
                        errors.add((t.expectedAt().getEpochSecond() - real.getEpochSecond()) / 3600.0);
                        min = min == null || t.expectedAt().isBefore(min) ? t.expectedAt() : min;
                        max = max == null || t.expectedAt().isAfter(max) ? t.expectedAt() : max;
                    }
                    if (inRange(t, real)) {
                        inside++;
                    }
                    if (p.seed() == seeds.get(0)) {
                        range = ForecastBacktest.kst(t.earliest()) + " – " + ForecastBacktest.kst(t.latest());
                    }
                }
                double meanAbs = errors.stream().mapToDouble(Math::abs).average().orElse(Double.NaN);
                double maxAbs = errors.stream().mapToDouble(Math::abs).max().orElse(Double.NaN);
                double target = label.startsWith("Dec 29") ? 3 : label.equals("Dec 15") || label.equals("Dec 22") || label.equals("Dec 28") ? 24 : Double.NaN;
                String verdict = Double.isNaN(target) ? "" : !missing && maxAbs <= target ? "met (≤ " + (int) target + " h)"
                        : !missing && meanAbs <= target ? "met on average (≤ " + (int) target + " h)" : "**not met** (≤ " + (int) target + " h)";
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s h (%s h) | %s | %d of %d | %.2f | %s |%n", label,
                        mode.name().toLowerCase(Locale.ROOT),
                        min == null ? "none" : ForecastBacktest.kst(min) + (min.equals(max) ? "" : " – " + ForecastBacktest.kst(max)),
                        fmt(meanAbs), fmt(maxAbs), range, inside, n, n == 0 ? Double.NaN : prob / n, verdict));
            }
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ the year end

    private void yearEnd(StringBuilder sb) {
        sb.append("#### The year-end projection at the end of each month\n\n");
        sb.append("Mean error over the seeds, in % of the year's real total (mean absolute error in brackets when the "
                + "seeds disagree in sign). Target: within 1% from October on (the forecasts made on Oct 1, Nov 1 and Dec 1).\n\n");
        sb.append("| year | mode |");
        for (int m = 1; m <= 11; m++) {
            sb.append(' ').append(ForecastBacktest.monthName(m)).append(" |");
        }
        sb.append(" target |\n|---|---|");
        sb.append("---|".repeat(12)).append('\n');
        for (int y : years) {
            for (Mode mode : Mode.values()) {
                sb.append("| ").append(y).append(" | ").append(mode.name().toLowerCase(Locale.ROOT)).append(" |");
                double worst = 0;
                for (int m = 1; m <= 11; m++) {
                    int month = m;
                    List<Double> errs = points.stream().filter(p -> p.year() == y && p.mode() == mode && p.cut().endOfMonth() == month)
                            .map(p -> 100.0 * (p.forecast().projectedYearEndCents() - outcome(p).finalCents()) / outcome(p).finalCents())
                            .toList();
                    double mean = errs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                    double meanAbs = errs.stream().mapToDouble(Math::abs).average().orElse(Double.NaN);
                    if (m >= 9) {
                        worst = Math.max(worst, errs.stream().mapToDouble(Math::abs).max().orElse(0));
                    }
                    boolean mixed = errs.stream().anyMatch(e -> e > 0) && errs.stream().anyMatch(e -> e < 0);
                    sb.append(String.format(Locale.ROOT, " %+.2f%%%s |", mean, mixed ? String.format(Locale.ROOT, " (%.2f)", meanAbs) : ""));
                }
                sb.append(worst <= 1.0 ? " met (worst " : " **not met** (worst ").append(String.format(Locale.ROOT, "%.2f%%)", worst)).append(" |\n");
            }
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ calibration

    private void calibration(StringBuilder sb) {
        sb.append("#### Calibration: how often the outcome fell inside the 80% range\n\n");
        sb.append("Over every seed and cut point (the 15th and the end of each month, and the December points above). Year end: "
                + "the projected year-end range against the year's real total. Thresholds: the crossing-time range of each "
                + "configured threshold not yet crossed at the cut and crossed later that year (a range whose latest end is "
                + "\"not this year\" holds a crossing after its earliest end). A well-calibrated forecaster holds about 80%.\n\n");
        sb.append("| range | mode |");
        for (int y : years) {
            sb.append(' ').append(y).append(" |");
        }
        sb.append(" all |\n|---|---|").append("---|".repeat(years.size() + 1)).append('\n');
        for (Mode mode : Mode.values()) {
            row(sb, "year end", mode, p -> p.mode() == mode, this::yearEndCounts);
        }
        for (Mode mode : Mode.values()) {
            row(sb, "threshold crossing time", mode, p -> p.mode() == mode, this::thresholdCounts);
        }
        sb.append('\n');
        List<Point> noRange = points.stream().filter(p -> p.forecast().yearEndRange() == null).toList();
        if (!noRange.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%d forecasts had no range (nothing yet to measure the error with) and are left out.%n%n",
                    noRange.size()));
        }
        if (years.contains(2024)) {
            double p700 = points.stream().filter(p -> p.year() == 2024 && p.cut().at().atZone(ForecastBacktest.SEOUL).getMonthValue() == 12)
                    .map(p -> threshold(p.forecast(), ForecastBacktest.SEVEN_HUNDRED_B)).filter(t -> t != null && t.probabilityThisYear() != null)
                    .mapToDouble(Forecast.ThresholdForecast::probabilityThisYear).max().orElse(Double.NaN);
            sb.append(String.format(Locale.ROOT, "$700B was not reached in 2024 ($683.8B): the highest probability of reaching it that "
                    + "year given by any December forecast was %.2f.%n%n", p700));
        }
    }

    private interface Counter {
        int[] count(Point p);
    }

    private void row(StringBuilder sb, String name, Mode mode, java.util.function.Predicate<Point> which, Counter counter) {
        sb.append("| ").append(name).append(" | ").append(mode.name().toLowerCase(Locale.ROOT)).append(" |");
        int allIn = 0;
        int allN = 0;
        for (int y : years) {
            int in = 0;
            int n = 0;
            for (Point p : points) {
                if (p.year() == y && which.test(p)) {
                    int[] c = counter.count(p);
                    in += c[0];
                    n += c[1];
                }
            }
            allIn += in;
            allN += n;
            sb.append(cell(in, n));
        }
        sb.append(cell(allIn, allN)).append('\n');
    }

    private static String cell(int in, int n) {
        return n == 0 ? " – |" : String.format(Locale.ROOT, " %.0f%% (%d of %d) |", 100.0 * in / n, in, n);
    }

    private int[] yearEndCounts(Point p) {
        Forecast.Range r = p.forecast().yearEndRange();
        if (r == null || p.cut().at().getEpochSecond() >= yearEnd(p.year())) {
            return new int[] {0, 0};
        }
        long real = outcome(p).finalCents();
        return new int[] {real >= r.lowCents() && real <= r.highCents() ? 1 : 0, 1};
    }

    private int[] thresholdCounts(Point p) {
        int in = 0;
        int n = 0;
        for (Forecast.ThresholdForecast t : p.forecast().thresholds()) {
            Instant real = outcome(p).crossings().get(t.thresholdCents());
            if (real == null || t.probabilityThisYear() == null) {
                continue;
            }
            n++;
            if (inRange(t, real)) {
                in++;
            }
        }
        return new int[] {in, n};
    }

    private static boolean inRange(Forecast.ThresholdForecast t, Instant real) {
        if (t.earliest() == null) {
            return false;
        }
        return !real.isBefore(t.earliest()) && (t.latest() == null || !real.isAfter(t.latest()));
    }

    private static long yearEnd(int year) {
        return LocalDateTime.of(year + 1, 1, 1, 0, 0).atZone(ForecastBacktest.SEOUL).toEpochSecond();
    }

    private static Forecast.ThresholdForecast threshold(Forecast f, long cents) {
        return f.thresholds().stream().filter(t -> t.thresholdCents() == cents).findFirst().orElse(null);
    }

    private static String fmt(double hours) {
        return Double.isNaN(hours) ? "–" : String.format(Locale.ROOT, "%.1f", hours);
    }
}
