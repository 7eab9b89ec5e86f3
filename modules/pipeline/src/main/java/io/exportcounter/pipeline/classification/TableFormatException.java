package io.exportcounter.pipeline.classification;

/**
 * A classification table (HS categories, regions) that cannot be used: the message names the file
 * and, when the problem is on one line, its line number ({@code config/regions.csv, line 42: ...}).
 */
public final class TableFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public TableFormatException(String source, int line, String problem) {
        super(line > 0 ? source + ", line " + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file (or resource) name the table was loaded from. */
    public String source() {
        return source;
    }

    /** The 1-based line number of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
