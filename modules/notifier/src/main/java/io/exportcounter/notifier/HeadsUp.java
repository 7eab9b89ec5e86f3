package io.exportcounter.notifier;

import io.exportcounter.contract.Forecast;
import java.math.RoundingMode;

/**
 * A threshold a forecast expects to be crossed soon (within {@code forecast.approaching-horizon} of its
 * {@code asOf}): what a heads-up notice is written from. An estimate, never a milestone.
 *
 * @param forecast  the forecast, as read from {@code export.forecasts}
 * @param threshold one of its thresholds, with an {@code expectedAt}
 */
public record HeadsUp(Forecast forecast, Forecast.ThresholdForecast threshold) {
    /** The type in the occurrence key, the delivery records and the CloudEvent ({@code io.exportcounter.forecast.approaching}). */
    static final String TYPE = "APPROACHING";

    public HeadsUp {
        if (threshold.expectedAt() == null) {
            throw new IllegalArgumentException("a heads-up needs an expected time: " + forecast.key());
        }
    }

    /**
     * The id of the milestone the heads-up anticipates, as the pipeline will write it on crossing:
     * {@code 2025|NATIONAL|KR|700000000000} (the threshold in whole dollars).
     */
    public String milestoneId() {
        return forecast.year() + "|" + forecast.dimension().name() + "|" + forecast.member() + "|"
                + threshold.thresholdUsd().setScale(0, RoundingMode.DOWN).toPlainString();
    }

    /**
     * {@code 2025|NATIONAL|KR|700000000000|APPROACHING}: one per year, total and threshold, whichever forecast
     * brought it within the horizon. Later forecasts within the horizon have the same key, so the delivery records
     * let each channel send it once, across restarts and on any notifier instance.
     */
    public String occurrenceKey() {
        return milestoneId() + "|" + TYPE;
    }
}
