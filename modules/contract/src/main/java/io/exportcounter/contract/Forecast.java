package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A forecast of one annual total (CONTRACT.md section 5b), as {@code export.forecasts} and
 * {@code GET /api/v1/forecast} carry it. An estimate, never a milestone. Every field is always present; those an
 * estimate cannot give yet are null (see the components).
 *
 * @param projectedYearEndRange the central 80% interval of the year-end total; null while the forecaster has nothing
 *                              to measure its error with (no history on record and too little counted)
 * @param thresholds            the configured thresholds not crossed yet, ascending
 * @param method                how the forecast is made, in a few words
 */
public record Forecast(String year, Dimension dimension, String member, OffsetDateTime asOf, BigDecimal totalUsd,
                       BigDecimal projectedYearEndUsd, Range projectedYearEndRange, List<ThresholdForecast> thresholds,
                       String method) {

    public Forecast {
        Objects.requireNonNull(year, "year");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(totalUsd, "totalUsd");
        Objects.requireNonNull(projectedYearEndUsd, "projectedYearEndUsd");
        thresholds = List.copyOf(thresholds);
        Objects.requireNonNull(method, "method");
    }

    /** The record key on {@code export.forecasts}: {@code {year}|{dimension}|{member}}. */
    public String key() {
        return year + "|" + dimension.name() + "|" + member;
    }

    /** A central 80% interval of money. */
    public record Range(BigDecimal low, BigDecimal high) {
    }

    /**
     * When a threshold is expected to be crossed.
     *
     * @param expectedAt          when the central projection reaches it; null when it does not this year (then
     *                            {@code expectedAtLocalTime} is null too)
     * @param range               the central 80% interval of the crossing time; each end null when more than 10%
     *                            of the outcomes fall beyond it (before the forecast, or after the year)
     * @param probabilityThisYear of crossing by the end of the year, two decimals ({@code 0.97}); null when unknown
     */
    public record ThresholdForecast(BigDecimal thresholdUsd, OffsetDateTime expectedAt, String expectedAtLocalTime,
                                    TimeRange range, BigDecimal probabilityThisYear) {
    }

    /** A central 80% interval of time. */
    public record TimeRange(OffsetDateTime earliest, OffsetDateTime latest) {
    }
}
