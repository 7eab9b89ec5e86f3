package io.exportcounter.pipeline.forecast;

import io.exportcounter.contract.Dimension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * A forecast of one annual total (CONTRACT.md section 5b): the total so far, the projected year end with a
 * central 80% range, and for each threshold not yet crossed when it is expected, its 80% range and the
 * probability of crossing this year. Money in exact cents; the statistics behind it are in {@link #basis()}.
 *
 * @param yearEndRange null when there is nothing to measure the error with (no history and too little counted)
 * @param thresholds   the thresholds above {@code totalCents}, ascending
 */
public record Forecast(int year, Dimension dimension, String member, Instant asOf, long totalCents,
                       long projectedYearEndCents, Range yearEndRange, List<ThresholdForecast> thresholds,
                       String method, Basis basis) {

    public Forecast {
        thresholds = List.copyOf(thresholds);
    }

    /** A central 80% interval of the year's total at its end. */
    public record Range(long lowCents, long highCents) {
    }

    /**
     * When a threshold is expected to be crossed.
     *
     * @param expectedAt          the instant the central projection reaches the threshold; null when it does not
     *                            this year
     * @param earliest            the 10th percentile of the crossing time; null when fewer than 10% of the
     *                            measured outcomes cross this year (or none could be measured)
     * @param latest              the 90th percentile; null when more than 10% of them do not cross this year
     * @param probabilityThisYear the share of measured outcomes that cross by the end of the year; null when
     *                            none could be measured
     */
    public record ThresholdForecast(long thresholdCents, Instant expectedAt, Instant earliest, Instant latest,
                                    Double probabilityThisYear) {
        public boolean expectedThisYear() {
            return expectedAt != null;
        }

        /** The probability as the contract writes it: two decimals ({@code "0.97"}); null when unknown. */
        public String probabilityText() {
            return probabilityThisYear == null ? null
                    : BigDecimal.valueOf(probabilityThisYear).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        }
    }

    /**
     * What the forecast stands on, for logs, docs and backtests.
     *
     * @param halfLifeThisMonthDays the half-life of the run rate for the rest of the current month (infinite: the
     *                              whole year so far weighs equally)
     * @param halfLifeLaterDays     the same for the later months; NaN when there are none
     * @param historyYears          the earlier years on record whose months shape the year
     * @param workingDayElasticity  beta: a month's value grows as (effective working days)^beta, estimated on
     *                              those years (1 without them)
     * @param withinMonthErrors     how many completed months measured the error of the rest of a month
     * @param laterMonthErrors      how many earlier years (or counted months) measured the error of the later months
     * @param correctionShare       the net share of accepted value that corrections take away (0.01: 1%)
     * @param holidaysCovered       whether the holiday table covers the year
     */
    public record Basis(double halfLifeThisMonthDays, double halfLifeLaterDays, List<Integer> historyYears,
                        double workingDayElasticity, int withinMonthErrors, int laterMonthErrors, double correctionShare, boolean holidaysCovered) {
        public Basis {
            historyYears = List.copyOf(historyYears);
        }
    }
}
