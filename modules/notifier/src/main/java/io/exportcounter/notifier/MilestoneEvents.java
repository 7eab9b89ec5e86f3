package io.exportcounter.notifier;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.exportcounter.contract.Milestone;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A milestone delivery as a CloudEvent 1.0 (the webhook's default format), written in structured mode
 * with the SDK's JSON format ({@code application/cloudevents+json}).
 *
 * <ul>
 *   <li>{@code id}: the occurrence key, so {@code source} + {@code id} is the same on every retry, after
 *       a restart and on another instance, and receivers can drop repeats by it;</li>
 *   <li>{@code type}: {@code io.exportcounter.<what>.<change>}, for milestones
 *       {@code io.exportcounter.milestone.crossed} or {@code .retracted} (a forecast heads-up would be
 *       {@code io.exportcounter.forecast.approaching});</li>
 *   <li>{@code time}: when the pipeline detected the milestone; {@code subject}: the milestone id;</li>
 *   <li>{@code data} ({@code application/json}): the plain webhook body, {@code {"milestone", "notice"}}.</li>
 * </ul>
 */
final class MilestoneEvents {
    static final String TYPE_PREFIX = "io.exportcounter.";
    /** The HTTP Content-Type of a structured event: the format's media type, in UTF-8 as JSON always is. */
    static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE + "; charset=utf-8";
    static final String DATA_CONTENT_TYPE = "application/json";

    /** Thread-safe (one Jackson mapper inside); the same one every webhook attempt uses. */
    private static final EventFormat FORMAT = new JsonFormat();

    private MilestoneEvents() {
    }

    /** {@code io.exportcounter.milestone.crossed} or {@code io.exportcounter.milestone.retracted}. */
    static String type(Milestone m) {
        return type("milestone", m.type().name());
    }

    /** {@code io.exportcounter.<what>.<change>}, both lower case: the one naming rule of the notifier's event types. */
    static String type(String what, String change) {
        return TYPE_PREFIX + what.toLowerCase(Locale.ROOT) + "." + change.toLowerCase(Locale.ROOT);
    }

    /** The event of {@code d}, sent from {@code source}. */
    static CloudEvent of(Delivery d, URI source) {
        Milestone m = d.milestone();
        return CloudEventBuilder.v1()
                .withId(d.occurrenceKey())
                .withSource(source)
                .withType(type(m))
                .withSubject(m.milestoneId())
                .withTime(m.detectedAt().atOffset(ZoneOffset.UTC))
                .withData(DATA_CONTENT_TYPE, Json.webhookBody(d))
                .build();
    }

    /** The bytes of the event of {@code d} in structured mode: what the webhook sends and signs. */
    static byte[] structured(Delivery d, URI source) {
        return FORMAT.serialize(of(d, source));
    }
}
