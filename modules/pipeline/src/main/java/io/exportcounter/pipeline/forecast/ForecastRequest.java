package io.exportcounter.pipeline.forecast;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.history.History;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the forecaster is given for one annual total.
 *
 * @param asOf           the instant of the forecast (stage 2: its stream time, the latest acceptedAt counted)
 * @param counted        what the pipeline counted into the year so far
 * @param earlierCounted earlier years the pipeline counted for the same total (their day and hour profiles,
 *                       year-end bunching included, inform this year's); may be empty
 * @param history        the published figures of the total ({@code History.of(dimension, member)}); only years
 *                       before {@code counted.year()} are read
 * @param thresholdsCents the configured thresholds of the total; those already reached are left out of the forecast
 */
public record ForecastRequest(Dimension dimension, String member, Instant asOf, CountedYear counted,
                              List<CountedYear> earlierCounted, History.Series history, List<Long> thresholdsCents) {
    public ForecastRequest {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(counted, "counted");
        earlierCounted = List.copyOf(earlierCounted);
        Objects.requireNonNull(history, "history");
        thresholdsCents = List.copyOf(thresholdsCents);
        for (CountedYear e : earlierCounted) {
            if (e.year() >= counted.year()) {
                throw new IllegalArgumentException("earlierCounted holds " + e.year() + ", not earlier than " + counted.year());
            }
        }
    }
}
