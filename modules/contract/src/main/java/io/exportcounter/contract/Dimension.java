package io.exportcounter.contract;

/** The breakdowns a total is kept for (CONTRACT.md section 4). */
public enum Dimension {
    /** member = the reporting country, e.g. {@code KR}. */
    NATIONAL,
    /** member = export item group from the HS code, {@code OTHER} when no rule matches. */
    CATEGORY,
    /** member = ISO 3166-1 alpha-2 destination country. */
    DESTINATION,
    /** member = region of the destination country ({@code ASEAN}, {@code EU}, ...). */
    REGION,
    /** member = {@link ExporterSize} name. */
    EXPORTER_SIZE
}
