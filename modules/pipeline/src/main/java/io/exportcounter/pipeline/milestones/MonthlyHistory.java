package io.exportcounter.pipeline.milestones;

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
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Monthly national export totals of earlier years ({@code config/history/*.csv}, header
 * {@code month,totalUsd}), against which a month's running total is compared for a record.
 */
final class MonthlyHistory {
    /** Where the build packages {@code config/history/}. */
    static final String PACKAGED = "io/exportcounter/pipeline/history";

    private final NavigableMap<YearMonth, Long> months;

    private MonthlyHistory(NavigableMap<YearMonth, Long> months) {
        this.months = Collections.unmodifiableNavigableMap(months);
    }

    NavigableMap<YearMonth, Long> months() {
        return months;
    }

    /** Every {@code *.csv} in {@code dir}. */
    static MonthlyHistory load(Path dir) {
        NavigableMap<YearMonth, Long> months = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    read(in, f.toString(), months);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read monthly history in " + dir + ": " + e.getMessage(), e);
        }
        return new MonthlyHistory(months);
    }

    /** The history packaged in the pipeline jar from {@code config/history/}. */
    static MonthlyHistory packaged() {
        URL url = MonthlyHistory.class.getClassLoader().getResource(PACKAGED);
        if (url == null) {
            return new MonthlyHistory(new TreeMap<>());
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
            throw new IllegalStateException("cannot read the packaged monthly history at " + url, e);
        }
    }

    private static void read(InputStream in, String source, NavigableMap<YearMonth, Long> into) {
        List<CsvTable.Row> rows = CsvTable.read(in, source, "month", "totalUsd");
        for (CsvTable.Row row : rows) {
            YearMonth month;
            try {
                month = YearMonth.parse(row.key());
            } catch (DateTimeParseException e) {
                throw new TableFormatException(source, row.line(), "month must look like 2025-06, was \"" + row.key() + "\"");
            }
            long cents;
            try {
                BigDecimal usd = new BigDecimal(row.value());
                if (usd.signum() < 0) {
                    throw new NumberFormatException();
                }
                cents = Money.toCents(usd);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new TableFormatException(source, row.line(), "totalUsd must be a non-negative amount in USD with at most 2 decimals, was \"" + row.value() + "\"");
            }
            if (into.put(month, cents) != null) {
                throw new TableFormatException(source, row.line(), "month " + month + " is listed twice");
            }
        }
    }
}
