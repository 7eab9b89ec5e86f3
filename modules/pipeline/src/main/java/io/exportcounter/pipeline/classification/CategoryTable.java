package io.exportcounter.pipeline.classification;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * HS code → export item group (the {@code CATEGORY} dimension), from a table of HS prefixes
 * ({@code config/hs-categories.csv}). The longest prefix that matches a code wins; a code no prefix
 * matches is {@value #OTHER}.
 *
 * <p>Immutable and thread-safe. {@link #categoryOf} walks a digit trie built at load time: at most
 * ten array reads per call, no allocation.
 */
public final class CategoryTable extends MemberTable {

    /** The category of a code that no rule matches. It cannot be used as a category in the table. */
    public static final String OTHER = MemberTable.OTHER;

    /** The longest prefix a rule may have: a 10-digit HSK code. */
    public static final int MAX_PREFIX_LENGTH = 10;

    /** Name of the packaged default table (the copy of {@code config/hs-categories.csv}). */
    public static final String DEFAULT_FILE_NAME = "hs-categories.csv";

    private static final int NO_NODE = 0; // the root is node 0 and is never anyone's child

    private static final Supplier<CategoryTable> DEFAULTS = CsvTable.packaged(DEFAULT_FILE_NAME, CategoryTable::load);

    /** {@code children[node * 10 + digit]} is the child node, or {@link #NO_NODE}. */
    private final int[] children;
    /** {@code categoryAt[node]} is the category of the prefix ending at that node, or null. */
    private final String[] categoryAt;

    private CategoryTable(Rows rows) {
        super(rows);
        Map<String, String> rules = rules();
        int maxNodes = 1;
        for (String prefix : rules.keySet()) {
            maxNodes += prefix.length();
        }
        int[] kids = new int[maxNodes * 10];
        String[] cats = new String[maxNodes];
        int nodes = 1;
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String prefix = rule.getKey();
            int node = 0;
            for (int i = 0; i < prefix.length(); i++) {
                int slot = node * 10 + (prefix.charAt(i) - '0');
                if (kids[slot] == NO_NODE) {
                    kids[slot] = nodes++;
                }
                node = kids[slot];
            }
            cats[node] = rule.getValue();
        }
        this.children = Arrays.copyOf(kids, nodes * 10);
        this.categoryAt = Arrays.copyOf(cats, nodes);
    }

    /** Loads a table from a file; errors name the file and line. */
    public static CategoryTable load(Path csv) {
        return CsvTable.load(csv, CategoryTable::load);
    }

    /**
     * Loads a table from a stream (not closed here); {@code sourceName} names it in error messages.
     *
     * @throws TableFormatException when the table is malformed: wrong header, a line without exactly
     *     two fields, a prefix that is empty, not all digits or longer than {@value #MAX_PREFIX_LENGTH},
     *     a prefix listed twice, a category not matching {@code [A-Z][A-Z0-9_]*} or equal to
     *     {@value #OTHER}, or no rules at all
     */
    public static CategoryTable load(InputStream csv, String sourceName) {
        return new CategoryTable(MemberTable.read(csv, sourceName, "prefix", "category",
                CategoryTable::prefixProblem, CategoryTable::categoryProblem));
    }

    private static String prefixProblem(String prefix) {
        if (prefix.isEmpty()) {
            return "the prefix is empty";
        }
        if (!allDigits(prefix)) {
            return "prefix " + CsvTable.quote(prefix) + " must be digits only (an HS code prefix)";
        }
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return "prefix " + prefix + " has " + prefix.length() + " digits; at most " + MAX_PREFIX_LENGTH
                    + " are allowed";
        }
        return null;
    }

    private static String categoryProblem(String category) {
        return OTHER.equals(category)
                ? "category " + OTHER + " is the fallback for codes no rule matches and cannot be assigned; remove the line"
                : null;
    }

    /** The table packaged in the pipeline jar (a copy of {@code config/hs-categories.csv}). */
    public static CategoryTable defaults() {
        return DEFAULTS.get();
    }

    /**
     * The category of an HS code: the one of the longest rule prefix the code starts with, or
     * {@value #OTHER}. Only the leading digits are read (a null or empty code is {@value #OTHER}).
     */
    public String categoryOf(String hsCode) {
        if (hsCode == null) {
            return OTHER;
        }
        String best = OTHER;
        int node = 0;
        int length = Math.min(hsCode.length(), MAX_PREFIX_LENGTH);
        for (int i = 0; i < length; i++) {
            int digit = hsCode.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            node = children[node * 10 + digit];
            if (node == NO_NODE) {
                break;
            }
            String category = categoryAt[node];
            if (category != null) {
                best = category;
            }
        }
        return best;
    }

    /**
     * Every category {@link #categoryOf} can return: the table's categories in order of first
     * appearance, then {@value #OTHER}.
     */
    public Set<String> categories() {
        return members();
    }

    @Override
    public String toString() {
        return "CategoryTable[" + source() + ", " + rules().size() + " rules, " + categories().size()
                + " categories]";
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
