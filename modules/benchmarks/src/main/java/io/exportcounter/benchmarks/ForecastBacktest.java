package io.exportcounter.benchmarks;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.forecast.CountedYear;
import io.exportcounter.pipeline.forecast.Forecast;
import io.exportcounter.pipeline.forecast.ForecastRequest;
import io.exportcounter.pipeline.forecast.Forecaster;
import io.exportcounter.pipeline.forecast.HolidayCalendar;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecaster's backtest (issue #16), run by {@code bin/benchmarks --scenarios forecast}: replays calibrated
 * years with the simulator, without Kafka, feeds the forecaster's input exactly as stage 2 counts (each
 * acceptance into its day and hour; each correction into the day of the declaration it changes, at the
 * stream time it is applied), stops at cut points to forecast, and compares with what the replay went on to do.
 *
 * <p>The forecaster never sees the replayed year's calibration: it is given the history on record of earlier
 * years only (rows of the replayed year and later are removed before it is asked), and what it counted. It is
 * asked twice at each cut: "cold", a pipeline that started counting this January, and "warm", one that also
 * counted the year before (replayed here from the previous year's published months, same seed).
 */
final class ForecastBacktest {
    private static final Logger log = LoggerFactory.getLogger(ForecastBacktest.class);
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final String BEGIN = "<!-- backtest:begin (written by bin/benchmarks --scenarios forecast) -->";
    static final String END = "<!-- backtest:end -->";
    static final long SEVEN_HUNDRED_B = 700_000_000_000_00L;

    enum Mode { COLD, WARM }

    /** A point the replay stops at to forecast. */
    record Cut(Instant at, String label, int endOfMonth) {
    }

    /** One forecast, with what the replay went on to do. */
    record Point(int year, long seed, Mode mode, Cut cut, Forecast forecast) {
    }

    /** What a replayed year came to: its total at the end and when each threshold was first reached. */
    record Outcome(long finalCents, Map<Long, Instant> crossings) {
    }

    private final List<Integer> years;
    private final List<Long> seeds;
    private final int declarations;
    private final Path out;
    private final Forecaster forecaster = new Forecaster(HolidayCalendar.packaged(), SEOUL);
    private final History history = History.packaged();
    private final List<Long> thresholds;
    private final List<Point> points = new ArrayList<>();
    private final Map<String, Outcome> outcomes = new HashMap<>();
    private long forecastNanos;
    private int forecastCount;

    ForecastBacktest(List<Integer> years, List<Long> seeds, int declarations, Path out, Path pipelineConfig) {
        this.years = List.copyOf(years);
        this.seeds = List.copyOf(seeds);
        this.declarations = declarations;
        this.out = out;
        this.thresholds = nationalThresholds(pipelineConfig);
    }

    /** The pipeline's own default for NATIONAL (MilestoneRules), when the configuration sets none. */
    static final String DEFAULT_NATIONAL_THRESHOLDS = "100B,200B,300B,400B,500B,600B,700B,800B,900B,1T";

    /** The NATIONAL thresholds of the pipeline's configuration ({@code config/pipeline.properties}). */
    static List<Long> nationalThresholds(Path config) {
        PipelineConfig c = Files.exists(config) ? PipelineConfig.load(config) : PipelineConfig.defaults();
        String value = c.thresholdSettings().getOrDefault(PipelineConfig.THRESHOLDS_PREFIX + "NATIONAL.KR",
                DEFAULT_NATIONAL_THRESHOLDS);
        List<Long> cents = new ArrayList<>();
        {
            for (String part : value.split(",")) {
                String p = part.trim();
                char unit = p.charAt(p.length() - 1);
                int shift = switch (unit) {
                    case 'M' -> 6;
                    case 'B' -> 9;
                    case 'T' -> 12;
                    default -> 0;
                };
                BigDecimal usd = new BigDecimal(shift == 0 ? p : p.substring(0, p.length() - 1)).movePointRight(shift);
                cents.add(usd.movePointRight(2).longValueExact());
            }
        }
        return cents;
    }

    void run() throws IOException {
        long started = System.nanoTime();
        for (int year : years) {
            History.Series onRecord = before(history.of(Dimension.NATIONAL, "KR"), year);
            List<Cut> cuts = cuts(year);
            for (long seed : seeds) {
                CountedYear previous = replayPrevious(year - 1, seed, onRecord);
                log.info("Forecast backtest: replaying {} (seed {}), {} cut points", year, seed, cuts.size());
                CountedYear counted = forecaster.newCountedYear(year);
                Outcome o = replay(options(year, seed, null), counted, cuts, cut -> {
                    for (Mode mode : Mode.values()) {
                        List<CountedYear> earlier = mode == Mode.WARM && previous != null ? List.of(previous) : List.of();
                        long t0 = System.nanoTime();
                        Forecast f = forecaster.forecast(new ForecastRequest(Dimension.NATIONAL, "KR", cut.at(), counted,
                                earlier, onRecord, thresholds));
                        forecastNanos += System.nanoTime() - t0;
                        forecastCount++;
                        points.add(new Point(year, seed, mode, cut, f));
                    }
                });
                outcomes.put(year + "|" + seed, o);
            }
        }
        String report = new ForecastReport(years, seeds, declarations, thresholds, points, outcomes,
                Duration.ofNanos(System.nanoTime() - started), forecastCount, Duration.ofNanos(forecastNanos)).markdown();
        write(report);
        log.info("Wrote the backtest table into {}", out.toAbsolutePath());
    }

    /** The history of a total without the rows of {@code year} and later. */
    static History.Series before(History.Series s, int year) {
        return new History.Series(Collections.unmodifiableNavigableMap(s.years().headMap(year, false)),
                Collections.unmodifiableNavigableMap(s.months().headMap(HistoryPeriod.ofYear(year), false)),
                Collections.unmodifiableNavigableMap(s.yearsToDate().headMap(HistoryPeriod.ofYear(year), false)),
                Collections.unmodifiableNavigableMap(s.monthsToDay().headMap(HistoryPeriod.ofYear(year), false)));
    }

    /**
     * The year before, replayed from its published months (when all twelve are on record) and their first 20 days
     * (where on record), as counted.
     */
    private CountedYear replayPrevious(int year, long seed, History.Series onRecord) throws IOException {
        Map<Integer, Long> months = new TreeMap<>();
        onRecord.months().forEach((p, f) -> {
            if (p.year() == year && f.cents() != null) {
                months.put(p.index(), f.cents());
            }
        });
        if (months.size() < 12) {
            log.info("Forecast backtest: {} has no 12 months on record, no warm start", year);
            return null;
        }
        Path csv = Files.createTempFile("calibration-" + year, ".csv");
        try {
            Map<Integer, String> firstParts = new TreeMap<>();
            onRecord.monthsToDay().forEach((p, f) -> {
                if (p.year() == year && p.day() == 20 && f.cents() != null) {
                    firstParts.put(p.index(), Money.format(f.cents()));
                }
            });
            StringBuilder sb = new StringBuilder("# the published months of " + year + " (config/history)\n"
                    + "month,totalUsd,firstTwentyDaysUsd\n");
            months.forEach((m, cents) -> sb.append(String.format(Locale.ROOT, "%d-%02d,%s,%s%n", year, m, Money.format(cents),
                    firstParts.getOrDefault(m, ""))));
            Files.writeString(csv, sb.toString());
            CountedYear counted = forecaster.newCountedYear(year);
            replay(options(year, seed, csv), counted, List.of(), cut -> { });
            return counted;
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private SimulatorOptions options(int year, long seed, Path calibration) {
        SimulatorOptions.Builder b = SimulatorOptions.builder().year(year).seed(seed).declarations(declarations).progress(false);
        if (calibration != null) {
            b.calibrationFile(calibration);
        }
        return b.build();
    }

    /**
     * Feeds every record of the simulated year to {@code counted} as stage 2 would, calling {@code atCut} before
     * the first record at or after each cut; returns the year's total at its end and its threshold crossings.
     */
    private Outcome replay(SimulatorOptions options, CountedYear counted, List<Cut> cuts, java.util.function.Consumer<Cut> atCut) {
        Map<String, long[]> ledger = new HashMap<>(options.declarations() * 2);
        Map<Long, Instant> crossings = new TreeMap<>();
        int nextCut = 0;
        long running = 0;
        try (Stream<SimEvent> events = DeclarationGenerator.events(options)) {
            Iterator<SimEvent> it = events.iterator();
            while (it.hasNext()) {
                SimEvent e = it.next();
                while (nextCut < cuts.size() && e.epochSecond() >= cuts.get(nextCut).at().getEpochSecond()) {
                    atCut.accept(cuts.get(nextCut++));
                }
                switch (e.kind()) {
                    case ACCEPT -> {
                        ledger.put(e.key(), new long[] {e.epochSecond(), e.usdDeltaCents()});
                        counted.accept(e.epochSecond(), e.usdDeltaCents());
                    }
                    case AMEND -> {
                        // The ledger knows the declaration's acceptance and counted value: old out, new in.
                        long[] d = ledger.get(e.key());
                        counted.correct(d[0], -d[1], e.epochSecond());
                        d[1] += e.usdDeltaCents();
                        counted.correct(d[0], d[1], e.epochSecond());
                    }
                    case CANCEL -> {
                        long[] d = ledger.get(e.key());
                        counted.correct(d[0], e.usdDeltaCents(), e.epochSecond());
                        d[1] = 0;
                    }
                    default -> {
                        // rates, redeliveries (idempotent) and malformed records (rejected) count nothing
                    }
                }
                long before = running;
                running += e.usdDeltaCents();
                for (long k : thresholds) {
                    if (before < k && running >= k && !crossings.containsKey(k)) {
                        crossings.put(k, e.time());
                    }
                }
            }
        }
        while (nextCut < cuts.size()) {
            atCut.accept(cuts.get(nextCut++));
        }
        if (running != counted.totalCents()) {
            throw new IllegalStateException("the counted year (" + counted.totalCents() + ") differs from the replay (" + running + ")");
        }
        return new Outcome(running, crossings);
    }

    /**
     * Where the replay stops: the end of each month (January to November) and the middle of each, and in
     * December the points of issue #16: December 1, 15, 22 and 28 at midnight and 9 a.m. on December 29.
     */
    static List<Cut> cuts(int year) {
        Map<Instant, Cut> cuts = new TreeMap<>();
        for (int m = 1; m <= 12; m++) {
            Instant mid = LocalDateTime.of(year, m, 15, 0, 0).atZone(SEOUL).toInstant();
            cuts.put(mid, new Cut(mid, String.format(Locale.ROOT, "%s 15", monthName(m)), 0));
            if (m < 12) {
                Instant end = LocalDateTime.of(year, m + 1, 1, 0, 0).atZone(SEOUL).toInstant();
                cuts.put(end, new Cut(end, "end of " + monthName(m), m));
            }
        }
        for (int[] d : new int[][] {{22, 0}, {28, 0}, {29, 9}}) {
            Instant at = LocalDateTime.of(year, 12, d[0], d[1], 0).atZone(SEOUL).toInstant();
            cuts.put(at, new Cut(at, d[1] == 0 ? "Dec " + d[0] : "Dec " + d[0] + " " + d[1] + " a.m.", 0));
        }
        Instant dec1 = LocalDateTime.of(year, 12, 1, 0, 0).atZone(SEOUL).toInstant();
        cuts.put(dec1, new Cut(dec1, "Dec 1 (end of Nov)", 11));
        return new ArrayList<>(cuts.values());
    }

    static String monthName(int m) {
        return java.time.Month.of(m).getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
    }

    /** Replaces the generated part of {@code out} (between the markers), or appends it. */
    private void write(String report) throws IOException {
        new MarkedSection(BEGIN, END).write(out, "Forecasts", report);
    }

    static String kst(Instant t) {
        return t == null ? "not this year" : ZonedDateTime.ofInstant(t, SEOUL).format(DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ENGLISH));
    }
}
