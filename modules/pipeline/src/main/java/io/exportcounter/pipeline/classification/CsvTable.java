package io.exportcounter.pipeline.classification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Reads the small CSV tables the pipeline is configured with (classification, history).
 *
 * <p>Format: UTF-8 (a leading byte-order mark is ignored), LF or CRLF line ends. Lines whose first
 * non-blank character is {@code #} are comments; blank lines are ignored. The first other line is
 * the header, then one row per line. Fields are trimmed; there is no quoting.
 */
public final class CsvTable {

    /** One data row with its 1-based line number in the file. */
    public record Row(int line, String key, String value) {
    }

    private CsvTable() {
    }

    /** Loads a table from a file; the file's path is the source name used in error messages. */
    public static <T> T load(Path csv, BiFunction<InputStream, String, T> loader) {
        Objects.requireNonNull(csv, "csv");
        String source = csv.toString();
        try (InputStream in = Files.newInputStream(csv)) {
            return loader.apply(in, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + source + ": " + e, e);
        }
    }

    /**
     * The table packaged next to this class, loaded on the first {@code get()} and kept (a race only loads the
     * same immutable table twice).
     */
    static <T> Supplier<T> packaged(String fileName, BiFunction<InputStream, String, T> loader) {
        return new Supplier<>() {
            private volatile T table;

            @Override
            public T get() {
                T t = table;
                if (t == null) {
                    t = loadResource(fileName, loader);
                    table = t;
                }
                return t;
            }
        };
    }

    /** Loads a table packaged next to this class, failing clearly when the jar lacks it. */
    private static <T> T loadResource(String fileName, BiFunction<InputStream, String, T> loader) {
        String resource = CsvTable.class.getPackageName().replace('.', '/') + "/" + fileName;
        InputStream in = CsvTable.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the default classification table " + resource
                    + " is not on the classpath; the pipeline jar is built with config/" + fileName
                    + " packaged at that path");
        }
        try (in) {
            return loader.apply(in, "classpath:" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + resource + ": " + e, e);
        }
    }

    /**
     * Reads every data row. Fails with a {@link TableFormatException} when the header is missing or
     * different, when a row has other than two fields, or when there are no rows at all.
     */
    public static List<Row> read(InputStream csv, String source, String keyColumn, String valueColumn) {
        List<Row> rows = new ArrayList<>();
        for (Fields f : readColumns(csv, source, false, keyColumn, valueColumn)) {
            rows.add(new Row(f.line(), f.get(0), f.get(1)));
        }
        return rows;
    }

    /** One data row's fields, in the header's order, with its 1-based line number in the file. */
    public record Fields(int line, String[] values) {
        public String get(int column) {
            return values[column];
        }
    }

    /**
     * Reads every data row of a table with the given columns. With {@code lastTakesRest} the last column
     * holds the rest of the line, commas included (a free-text column such as a source). Fails with a
     * {@link TableFormatException} when the header is missing or different, when a row has another number
     * of fields, or when there are no rows at all.
     */
    public static List<Fields> readColumns(InputStream csv, String source, boolean lastTakesRest, String... columns) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(source, "sourceName");
        String header = String.join(",", columns);
        List<Fields> rows = new ArrayList<>();
        boolean headerSeen = false;
        int lineNumber = 0;
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                if (!headerSeen) {
                    String[] names = text.split(",", -1);
                    boolean same = names.length == columns.length;
                    for (int i = 0; same && i < names.length; i++) {
                        same = names[i].strip().equalsIgnoreCase(columns[i]);
                    }
                    if (!same) {
                        throw new TableFormatException(source, lineNumber,
                                "expected the header \"" + header + "\" but found " + quote(text));
                    }
                    headerSeen = true;
                    continue;
                }
                String[] fields = text.split(",", lastTakesRest ? columns.length : -1);
                if (fields.length != columns.length) {
                    throw new TableFormatException(source, lineNumber, "expected " + columns.length
                            + " comma-separated fields (" + header + ") but found " + fields.length + ": " + quote(text));
                }
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = fields[i].strip();
                }
                rows.add(new Fields(lineNumber, fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + source + ": " + e, e);
        }
        if (!headerSeen) {
            throw new TableFormatException(source, 0, "has no header line \"" + header + "\" (empty file?)");
        }
        if (rows.isEmpty()) {
            throw new TableFormatException(source, 0, "has no rows after the header \"" + header + "\"");
        }
        return rows;
    }

    /** The text in double quotes, shortened when long, for error messages. */
    static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "\"";
    }
}
