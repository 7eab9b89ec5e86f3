package io.exportcounter.notifier;

import io.exportcounter.contract.Forecast;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a forecast warrants a heads-up: for each threshold whose expected time falls within the horizon
 * ({@code forecast.approaching-horizon}, 24 hours by default) of the forecast's {@code asOf}. A threshold the
 * central projection does not reach this year ({@code expectedAt} null) never does.
 *
 * <p>The rule looks at one forecast alone; "the first time within the horizon" is the delivery records' part: every
 * heads-up of a threshold has the same occurrence key ({@link HeadsUp#occurrenceKey()}), so once a channel has sent
 * it, the later forecasts within the horizon find it done.
 */
final class ApproachingRule {
    private final Duration horizon;

    ApproachingRule(Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("the horizon must be positive, was " + horizon);
        }
        this.horizon = horizon;
    }

    Duration horizon() {
        return horizon;
    }

    /** The thresholds of {@code f} expected within the horizon, in the forecast's (ascending) order. */
    List<HeadsUp> due(Forecast f) {
        Instant limit = f.asOf().toInstant().plus(horizon);
        List<HeadsUp> out = new ArrayList<>();
        for (Forecast.ThresholdForecast t : f.thresholds()) {
            // Expected before asOf (overdue) is all the more within the horizon.
            if (t.expectedAt() != null && !t.expectedAt().toInstant().isAfter(limit)) {
                out.add(new HeadsUp(f, t));
            }
        }
        return out;
    }
}
