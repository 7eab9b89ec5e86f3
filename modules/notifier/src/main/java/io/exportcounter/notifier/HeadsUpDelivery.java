package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One heads-up to notify: a threshold a forecast expects to be crossed within the horizon, the forecast's contract
 * JSON, the notice and the occurrence key ({@code 2025|NATIONAL|KR|700000000000|APPROACHING}: one per year, total
 * and threshold, see {@link HeadsUp#occurrenceKey()}).
 *
 * @param madeAt when stage 2 made the forecast (the record's timestamp): for {@code notices.max-age} and the
 *               delivery delay
 */
public record HeadsUpDelivery(String occurrenceKey, HeadsUp headsUp, byte[] forecastJson, Notice notice, Instant madeAt)
        implements Delivery {

    static HeadsUpDelivery of(HeadsUp h, Notice notice, Instant madeAt) {
        return new HeadsUpDelivery(h.occurrenceKey(), h, ContractJson.instance().write(h.forecast()), notice, madeAt);
    }

    @Override
    public String milestoneId() {
        return headsUp.milestoneId();
    }

    @Override
    public String type() {
        return HeadsUp.TYPE;
    }

    /** The forecast's {@code asOf}: as of when the crossing is expected within the horizon. */
    @Override
    public Instant happenedAt() {
        return headsUp.forecast().asOf().toInstant();
    }

    public String forecastJsonText() {
        return new String(forecastJson, StandardCharsets.UTF_8);
    }

    /** For logs: what is expected, not the whole notice. */
    @Override
    public String toString() {
        return occurrenceKey + " (expected " + ContractJson.formatDateTime(headsUp.threshold().expectedAt()) + ")";
    }
}
