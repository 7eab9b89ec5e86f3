package io.exportcounter.pipeline.classification;

import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link CategoryTable} and {@link RegionTable} share: a two-column {@link CsvTable} mapping keys (HS
 * prefixes, country codes) to members of a dimension (categories, regions), read and checked the same way.
 * Every key passes its table's check and is listed once; every member is an upper-case name
 * ({@code [A-Z][A-Z0-9_]*}) and passes its table's check. Errors name the file, the line and the column.
 * Each table adds its own lookup over {@link #rules()}.
 */
abstract class MemberTable {

    /** The member of a key the table does not map. */
    static final String OTHER = "OTHER";

    /** A table's own rule for a key or member. */
    @FunctionalInterface
    interface Check {
        /** What is wrong with {@code value}, as the rest of an error message, or null when nothing is. */
        String problem(String value);
    }

    /** Accepts every value. */
    static final Check ANY = value -> null;

    /** The checked rows of a table, key → member in file order, and where they were read from. */
    record Rows(String source, Map<String, String> rules) {
    }

    private final String source;
    private final Map<String, String> rules;
    private final Set<String> members;

    MemberTable(Rows rows) {
        this.source = rows.source();
        this.rules = Collections.unmodifiableMap(rows.rules());
        Set<String> names = new LinkedHashSet<>(rules.values());
        names.add(OTHER);
        this.members = Collections.unmodifiableSet(names);
    }

    /**
     * Reads the table from a stream (not closed here); {@code source} names it in error messages.
     *
     * @throws TableFormatException when the table is malformed (see {@link CsvTable#read}), a key fails
     *     {@code keyCheck}, a member is not an upper-case name or fails {@code memberCheck}, or a key is
     *     listed twice
     */
    static Rows read(InputStream csv, String source, String keyColumn, String memberColumn,
            Check keyCheck, Check memberCheck) {
        Map<String, String> rules = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        Map<String, String> interned = new HashMap<>();
        for (CsvTable.Row row : CsvTable.read(csv, source, keyColumn, memberColumn)) {
            String key = row.key();
            String member = row.value();
            reject(source, row, keyCheck.problem(key));
            if (!isMemberName(member)) {
                reject(source, row, memberColumn + " " + CsvTable.quote(member)
                        + " must be an upper-case name matching [A-Z][A-Z0-9_]*");
            }
            reject(source, row, memberCheck.problem(member));
            Integer earlier = firstLine.putIfAbsent(key, row.line());
            if (earlier != null) {
                reject(source, row, keyColumn + " " + key + " is listed twice (first on line " + earlier + ")");
            }
            rules.put(key, interned.computeIfAbsent(member, m -> m));
        }
        return new Rows(source, rules);
    }

    /** Throws the {@code problem} of a row, if there is one. */
    private static void reject(String source, CsvTable.Row row, String problem) {
        if (problem != null) {
            throw new TableFormatException(source, row.line(), problem);
        }
    }

    /** True for an upper-case name: {@code [A-Z][A-Z0-9_]*}. */
    private static boolean isMemberName(String name) {
        if (name.isEmpty() || name.charAt(0) < 'A' || name.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** Where the table was loaded from (a file path or {@code classpath:...}). */
    public String source() {
        return source;
    }

    /** The rows, key → member, in file order. */
    public Map<String, String> rules() {
        return rules;
    }

    /** The members in order of first appearance, then {@value #OTHER} if the table does not use it. */
    Set<String> members() {
        return members;
    }
}
