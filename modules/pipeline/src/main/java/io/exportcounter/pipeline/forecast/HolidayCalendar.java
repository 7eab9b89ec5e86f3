package io.exportcounter.pipeline.forecast;

import io.exportcounter.pipeline.classification.CsvTable;
import io.exportcounter.pipeline.classification.TableFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The public holidays of the reporting country: every {@code *.csv} of a folder ({@code config/calendar/} as
 * packaged), each row {@code date,name,source} ({@code source}, the rest of the line, says where the list was
 * published and is required). A year with at least one row is covered; in a year that is not, only weekends
 * are days off, and {@link YearCalendar#holidaysCovered()} says so.
 */
public final class HolidayCalendar {
    static final String PACKAGED = "io/exportcounter/pipeline/forecast/calendar/kr-public-holidays.csv";
    static final String[] COLUMNS = {"date", "name", "source"};

    private static final HolidayCalendar NONE = new HolidayCalendar(Set.of(), Collections.emptySortedSet());

    private final Set<LocalDate> holidays;
    private final SortedSet<Integer> years;
    private final Map<String, YearCalendar> calendars = new ConcurrentHashMap<>();

    private HolidayCalendar(Set<LocalDate> holidays, SortedSet<Integer> years) {
        this.holidays = holidays;
        this.years = years;
    }

    /** No holidays at all: weekends only. */
    public static HolidayCalendar none() {
        return NONE;
    }

    /** The table packaged in the pipeline jar from {@code config/calendar/kr-public-holidays.csv}. */
    public static HolidayCalendar packaged() {
        InputStream in = HolidayCalendar.class.getClassLoader().getResourceAsStream(PACKAGED);
        if (in == null) {
            throw new IllegalStateException("the holiday table " + PACKAGED + " is not on the classpath; the pipeline jar"
                    + " is built with config/calendar/kr-public-holidays.csv packaged at that path");
        }
        try (in) {
            Set<LocalDate> days = new HashSet<>();
            SortedSet<Integer> years = new TreeSet<>();
            add(in, "classpath:" + PACKAGED, days, years);
            return new HolidayCalendar(Set.copyOf(days), Collections.unmodifiableSortedSet(years));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PACKAGED, e);
        }
    }

    /** Every {@code *.csv} in {@code dir}, in file-name order. */
    public static HolidayCalendar load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TableFormatException(dir.toString(), 0, "is not a folder of holiday CSV files");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> csvs = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
            Set<LocalDate> days = new HashSet<>();
            SortedSet<Integer> years = new TreeSet<>();
            for (Path f : csvs) {
                try (InputStream in = Files.newInputStream(f)) {
                    add(in, f.toString(), days, years);
                }
            }
            return new HolidayCalendar(Set.copyOf(days), Collections.unmodifiableSortedSet(years));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the holidays in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void add(InputStream in, String file, Set<LocalDate> days, SortedSet<Integer> years) {
        for (CsvTable.Fields row : CsvTable.readColumns(in, file, true, COLUMNS)) {
            LocalDate date;
            try {
                date = LocalDate.parse(row.get(0));
            } catch (DateTimeException e) {
                throw new TableFormatException(file, row.line(), "date must be yyyy-MM-dd, was \"" + row.get(0) + "\"");
            }
            if (row.get(1).isEmpty()) {
                throw new TableFormatException(file, row.line(), "name is required");
            }
            if (row.get(2).isEmpty()) {
                throw new TableFormatException(file, row.line(), "source is required: say where the holiday was published");
            }
            if (!days.add(date)) {
                throw new TableFormatException(file, row.line(), "date " + date + " is listed twice");
            }
            years.add(date.getYear());
        }
    }

    public boolean isHoliday(LocalDate date) {
        return holidays.contains(date);
    }

    /** Whether the table lists the holidays of {@code year}. */
    public boolean covers(int year) {
        return years.contains(year);
    }

    /** The years the table covers. */
    public SortedSet<Integer> years() {
        return years;
    }

    /** The calendar of {@code year} in {@code zone}, built once and kept. */
    public YearCalendar yearCalendar(int year, ZoneId zone) {
        return calendars.computeIfAbsent(year + "|" + zone.getId(), k -> YearCalendar.build(year, zone, this));
    }
}
