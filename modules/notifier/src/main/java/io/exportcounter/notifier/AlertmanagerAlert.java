package io.exportcounter.notifier;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as Alertmanager's v2 API takes it ({@code postableAlert} of {@code POST /api/v2/alerts}).
 * Alertmanager identifies an alert by its labels alone: posting the same labels again updates that
 * alert (its annotations, its end) instead of adding one.
 *
 * @param labels      what the alert is; the same labels are the same alert
 * @param annotations what is said about it
 * @param startsAt    when it began
 * @param endsAt      when it ended (resolved from then on), or null: Alertmanager ends it after its
 *                    {@code resolve_timeout} unless it is posted again
 * @param generatorUrl a link to what raised it, or null
 */
record AlertmanagerAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
        String generatorUrl) {

    AlertmanagerAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
