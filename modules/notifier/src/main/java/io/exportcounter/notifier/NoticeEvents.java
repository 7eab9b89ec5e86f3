package io.exportcounter.notifier;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A delivery as a CloudEvent 1.0 (the webhook's default format), written in structured mode with the SDK's JSON
 * format ({@code application/cloudevents+json}).
 *
 * <ul>
 *   <li>{@code id}: the occurrence key, so {@code source} + {@code id} is the same on every retry, after
 *       a restart and on another instance, and receivers can drop repeats by it;</li>
 *   <li>{@code type}: {@code io.exportcounter.<what>.<change>}: {@code io.exportcounter.milestone.crossed} or
 *       {@code .retracted} for milestones, {@code io.exportcounter.forecast.approaching} for a forecast's
 *       heads-up;</li>
 *   <li>{@code subject}: the milestone id (for a heads-up, of the milestone it anticipates, so a receiver can match
 *       the two); {@code time}: when the pipeline detected the milestone, or the forecast's {@code asOf};</li>
 *   <li>{@code data} ({@code application/json}): the plain webhook body, {@code {"milestone", "notice"}} or
 *       {@code {"forecast", "thresholdUsd", "notice"}}.</li>
 * </ul>
 */
final class NoticeEvents {
    static final String TYPE_PREFIX = "io.exportcounter.";
    /** The HTTP Content-Type of a structured event: the format's media type, in UTF-8 as JSON always is. */
    static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE + "; charset=utf-8";
    static final String DATA_CONTENT_TYPE = "application/json";

    /** Thread-safe (one Jackson mapper inside); the same one every webhook attempt uses. */
    private static final EventFormat FORMAT = new JsonFormat();

    private NoticeEvents() {
    }

    /** {@code io.exportcounter.milestone.crossed}, {@code .retracted}, or {@code io.exportcounter.forecast.approaching}. */
    static String type(Delivery d) {
        return d instanceof HeadsUpDelivery ? type("forecast", d.type()) : type("milestone", d.type());
    }

    /** {@code io.exportcounter.<what>.<change>}, both lower case: the one naming rule of the notifier's event types. */
    static String type(String what, String change) {
        return TYPE_PREFIX + what.toLowerCase(Locale.ROOT) + "." + change.toLowerCase(Locale.ROOT);
    }

    /** The event of {@code d}, sent from {@code source}. */
    static CloudEvent of(Delivery d, URI source) {
        return CloudEventBuilder.v1()
                .withId(d.occurrenceKey())
                .withSource(source)
                .withType(type(d))
                .withSubject(d.milestoneId())
                .withTime(d.happenedAt().atOffset(ZoneOffset.UTC))
                .withData(DATA_CONTENT_TYPE, Json.webhookBody(d))
                .build();
    }

    /** The bytes of the event of {@code d} in structured mode: what the webhook sends and signs. */
    static byte[] structured(Delivery d, URI source) {
        return FORMAT.serialize(of(d, source));
    }
}
