package io.exportcounter.notifier;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures: forecasts as stage 2 writes them on export.forecasts. */
final class Forecasts {
    private Forecasts() {
    }

    /**
     * Korea's 2025 forecast as of {@code asOf}, with $700B expected at {@code expected700B} (null: not this year)
     * and $800B never this year; the 80% range of $700B from 20 hours before to 21 hours after, probability 0.97.
     */
    static Forecast korea(String asOf, String expected700B) {
        OffsetDateTime at = expected700B == null ? null : OffsetDateTime.parse(expected700B);
        return forecast(Dimension.NATIONAL, "KR", asOf, List.of(
                threshold("700000000000.00", at, at == null ? null : at.minusHours(20).withMinute(0),
                        at == null ? null : at.plusHours(21).withMinute(0), at == null ? "0.31" : "0.97"),
                threshold("800000000000.00", null, null, null, "0.00")));
    }

    static Forecast forecast(Dimension dimension, String member, String asOf, List<Forecast.ThresholdForecast> thresholds) {
        return new Forecast("2025", dimension, member, OffsetDateTime.parse(asOf), new BigDecimal("651234567890.12"),
                new BigDecimal("709100000000.00"), new Forecast.Range(new BigDecimal("703000000000.00"),
                        new BigDecimal("715000000000.00")), new ArrayList<>(thresholds),
                "run rate of this year x the shape of the rest of the year on record");
    }

    static Forecast.ThresholdForecast threshold(String usd, OffsetDateTime expectedAt, OffsetDateTime earliest,
            OffsetDateTime latest, String probability) {
        return new Forecast.ThresholdForecast(new BigDecimal(usd), expectedAt,
                expectedAt == null ? null : io.exportcounter.contract.ReportingTime.englishClock(expectedAt.toLocalTime()),
                new Forecast.TimeRange(earliest, latest), probability == null ? null : new BigDecimal(probability));
    }
}
