package io.exportcounter.pipeline.classification;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ISO 3166-1 alpha-2 country → market region (the {@code REGION} dimension), from
 * {@code config/regions.csv}. A code the table does not list is {@value #OTHER}.
 *
 * <p>Immutable and thread-safe. {@link #regionOf} is one array read, no allocation.
 */
public final class RegionTable extends MemberTable {

    /** The region of a code the table does not list (the table may also map codes to it). */
    public static final String OTHER = MemberTable.OTHER;

    /** Name of the packaged default table (the copy of {@code config/regions.csv}). */
    public static final String DEFAULT_FILE_NAME = "regions.csv";

    /** The codes the table accepts: the current ISO 3166-1 alpha-2 codes known to the JDK. */
    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    private static final Supplier<RegionTable> DEFAULTS = CsvTable.packaged(DEFAULT_FILE_NAME, RegionTable::load);

    /** Region by {@code (first - 'A') * 26 + (second - 'A')}, null when not listed. */
    private final String[] byCode = new String[26 * 26];

    private RegionTable(Rows rows) {
        super(rows);
        rules().forEach((code, region) -> byCode[(code.charAt(0) - 'A') * 26 + (code.charAt(1) - 'A')] = region);
    }

    /** Loads a table from a file; errors name the file and line. */
    public static RegionTable load(Path csv) {
        return CsvTable.load(csv, RegionTable::load);
    }

    /**
     * Loads a table from a stream (not closed here); {@code sourceName} names it in error messages.
     *
     * @throws TableFormatException when the table is malformed: wrong header, a line without exactly
     *     two fields, a code that is not two upper-case letters or not a current ISO 3166-1 alpha-2
     *     code, a code listed twice, a region not matching {@code [A-Z][A-Z0-9_]*}, or no rows at all
     */
    public static RegionTable load(InputStream csv, String sourceName) {
        return new RegionTable(MemberTable.read(csv, sourceName, "country", "region",
                RegionTable::countryProblem, MemberTable.ANY));
    }

    private static String countryProblem(String code) {
        if (!isTwoUpperCaseLetters(code)) {
            return "country " + CsvTable.quote(code) + " must be an ISO 3166-1 alpha-2 code: two upper-case letters";
        }
        if (!ISO_COUNTRIES.contains(code)) {
            return "country " + code + " is not a current ISO 3166-1 alpha-2 code";
        }
        return null;
    }

    /** The table packaged in the pipeline jar (a copy of {@code config/regions.csv}). */
    public static RegionTable defaults() {
        return DEFAULTS.get();
    }

    /**
     * The region of an upper-case ISO 3166-1 alpha-2 code; {@value #OTHER} for a code the table
     * does not list and for anything that is not two upper-case letters (null included).
     */
    public String regionOf(String iso2) {
        if (iso2 == null || iso2.length() != 2) {
            return OTHER;
        }
        int first = iso2.charAt(0) - 'A';
        int second = iso2.charAt(1) - 'A';
        if (first < 0 || first >= 26 || second < 0 || second >= 26) {
            return OTHER;
        }
        String region = byCode[first * 26 + second];
        return region == null ? OTHER : region;
    }

    /**
     * Every region {@link #regionOf} can return: the table's regions in order of first appearance,
     * then {@value #OTHER} if the table does not use it.
     */
    public Set<String> regions() {
        return members();
    }

    @Override
    public String toString() {
        return "RegionTable[" + source() + ", " + rules().size() + " countries, " + regions().size() + " regions]";
    }

    private static boolean isTwoUpperCaseLetters(String s) {
        return s.length() == 2
                && s.charAt(0) >= 'A' && s.charAt(0) <= 'Z'
                && s.charAt(1) >= 'A' && s.charAt(1) <= 'Z';
    }
}
