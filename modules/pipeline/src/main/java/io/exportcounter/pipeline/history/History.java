package io.exportcounter.pipeline.history;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.classification.CsvTable;
import io.exportcounter.pipeline.classification.TableFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Published export figures of the past (CONTRACT.md section 5a), against which records and first-time
 * crossings are judged: every {@code *.csv} of a folder ({@code config/history/} as packaged, or the
 * operator's {@code milestones.history}), each row
 * {@code period,dimension,member,totalUsd,exporters,source}.
 *
 * <p>A period is a year ({@code 2018}), a month ({@code 2018-06}), a year to date through a quarter
 * ({@code 2018-Q3}) or a month's first days ({@code 2018-06-01/2018-06-20}, as the customs service publishes
 * them; the forecaster reads them for the shape of a month, records do not). {@code totalUsd} or {@code exporters} may be empty, not both; {@code source} (the rest of
 * the line, commas allowed) says where the figure was published and is required. A period is listed at
 * most once per dimension and member. Periods with no published figure are simply absent.
 */
public final class History {
    /** Where the build packages {@code config/history/}. */
    static final String PACKAGED = "io/exportcounter/pipeline/history";
    static final String[] COLUMNS = {"period", "dimension", "member", "totalUsd", "exporters", "source"};

    private static final History EMPTY = new History(Map.of());

    private final Map<String, Series> series;

    private History(Map<String, Series> series) {
        this.series = series;
    }

    public static History empty() {
        return EMPTY;
    }

    /** The figures of one total ({@code dimension}, {@code member}); empty when none are on record. */
    public Series of(Dimension dimension, String member) {
        Series s = series.get(dimension.name() + "|" + member);
        return s == null ? Series.NONE : s;
    }

    /** Every {@code *.csv} in {@code dir}, in file-name order. */
    public static History load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TableFormatException(dir.toString(), 0, "is not a folder of history CSV files");
        }
        Map<String, Builder> builders = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    read(in, f.toString(), builders);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history in " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Series> series = new HashMap<>();
        builders.forEach((k, b) -> series.put(k, b.build()));
        return new History(Map.copyOf(series));
    }

    /** The history packaged in the pipeline jar from {@code config/history/}. */
    public static History packaged() {
        URL url = History.class.getClassLoader().getResource(PACKAGED);
        if (url == null) {
            return EMPTY;
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return load(jar.getPath(PACKAGED));
                }
            }
            return load(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the packaged history at " + url, e);
        }
    }

    private static void read(InputStream in, String file, Map<String, Builder> into) {
        for (CsvTable.Fields row : CsvTable.readColumns(in, file, true, COLUMNS)) {
            int line = row.line();
            HistoryPeriod period = HistoryPeriod.parse(row.get(0));
            if (period == null) {
                throw fieldError(file, line, "period", "must be a year (2018), a month (2018-06), a year to date through a quarter (2018-Q3) or a month's first days (2018-06-01/2018-06-20), was \"" + row.get(0) + "\"");
            }
            Dimension dimension;
            try {
                dimension = Dimension.valueOf(row.get(1));
            } catch (IllegalArgumentException e) {
                throw fieldError(file, line, "dimension", "must be one of NATIONAL, CATEGORY, DESTINATION, REGION, EXPORTER_SIZE, was \"" + row.get(1) + "\"");
            }
            String member = row.get(2);
            if (!member.matches("[A-Z0-9_]{1,64}")) {
                throw fieldError(file, line, "member", "must be an upper-case member name such as KR or SME, was \"" + member + "\"");
            }
            Long cents = null;
            if (!row.get(3).isEmpty()) {
                try {
                    BigDecimal usd = new BigDecimal(row.get(3));
                    if (usd.signum() < 0) {
                        throw new NumberFormatException();
                    }
                    cents = Money.toCents(usd);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw fieldError(file, line, "totalUsd", "must be a non-negative amount in USD with at most 2 decimals, was \"" + row.get(3) + "\"");
                }
            }
            Long exporters = null;
            if (!row.get(4).isEmpty()) {
                try {
                    exporters = Long.parseLong(row.get(4));
                    if (exporters < 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw fieldError(file, line, "exporters", "must be a whole number of exporters, was \"" + row.get(4) + "\"");
                }
                if (dimension != Dimension.NATIONAL && dimension != Dimension.EXPORTER_SIZE) {
                    throw fieldError(file, line, "exporters", "is known only for NATIONAL and EXPORTER_SIZE totals");
                }
            }
            if (cents == null && exporters == null) {
                throw fieldError(file, line, "totalUsd", "is empty and so is exporters: a row needs at least one figure");
            }
            String source = row.get(5);
            if (source.isEmpty()) {
                throw fieldError(file, line, "source", "is required: say where the figure was published");
            }
            Figure figure = new Figure(period, cents, exporters, source);
            if (!into.computeIfAbsent(dimension.name() + "|" + member, k -> new Builder()).add(figure)) {
                throw fieldError(file, line, "period", period + " of " + dimension + " " + member + " is listed twice");
            }
        }
    }

    private static TableFormatException fieldError(String file, int line, String field, String problem) {
        return new TableFormatException(file, line, field + " " + problem);
    }

    /** One published figure: a value in cents and/or a count of exporters, and where it was published. */
    public record Figure(HistoryPeriod period, Long cents, Long exporters, String source) {
    }

    /** The figures of one total, by kind of period, each in period order. */
    public record Series(NavigableMap<Integer, Figure> years, NavigableMap<HistoryPeriod, Figure> months,
            NavigableMap<HistoryPeriod, Figure> yearsToDate, NavigableMap<HistoryPeriod, Figure> monthsToDay) {
        static final Series NONE = new Series(Collections.emptyNavigableMap(), Collections.emptyNavigableMap(),
                Collections.emptyNavigableMap(), Collections.emptyNavigableMap());

        /** Without figures of a month's first days. */
        public Series(NavigableMap<Integer, Figure> years, NavigableMap<HistoryPeriod, Figure> months,
                NavigableMap<HistoryPeriod, Figure> yearsToDate) {
            this(years, months, yearsToDate, Collections.emptyNavigableMap());
        }

        /** Every figure of the periods records compare with: years first, then months, then years to date. */
        public List<Figure> all() {
            List<Figure> all = new ArrayList<>(years.values());
            all.addAll(months.values());
            all.addAll(yearsToDate.values());
            return all;
        }
    }

    private static final class Builder {
        final TreeMap<Integer, Figure> years = new TreeMap<>();
        final TreeMap<HistoryPeriod, Figure> months = new TreeMap<>();
        final TreeMap<HistoryPeriod, Figure> yearsToDate = new TreeMap<>();
        final TreeMap<HistoryPeriod, Figure> monthsToDay = new TreeMap<>();

        boolean add(Figure f) {
            HistoryPeriod p = f.period();
            return switch (p.kind()) {
                case YEAR -> years.putIfAbsent(p.year(), f) == null;
                case MONTH -> months.putIfAbsent(p, f) == null;
                case YEAR_TO_DATE -> yearsToDate.putIfAbsent(p, f) == null;
                case MONTH_TO_DAY -> monthsToDay.putIfAbsent(p, f) == null;
            };
        }

        Series build() {
            return new Series(Collections.unmodifiableNavigableMap(years), Collections.unmodifiableNavigableMap(months),
                    Collections.unmodifiableNavigableMap(yearsToDate), Collections.unmodifiableNavigableMap(monthsToDay));
        }
    }
}
