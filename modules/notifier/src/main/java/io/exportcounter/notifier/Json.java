package io.exportcounter.notifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Money;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The notifier's own JSON documents, written as the contract writes its records (compact UTF-8). */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    private static byte[] write(ContractJson.Body body) {
        return ContractJson.instance().write(body);
    }

    /**
     * The webhook body: {@code {"milestone": {contract JSON}, "notice": {"en": "...", "ko": "..."}}}, or for a
     * heads-up {@code {"forecast": {contract JSON}, "thresholdUsd": "700000000000.00", "notice": {...}}}.
     */
    static byte[] webhookBody(Delivery d) {
        return write(g -> {
            g.writeStartObject();
            subject(g, d);
            notice(g, d.notice());
            g.writeEndObject();
        });
    }

    /** What a notice is about: {@code "milestone"}, or {@code "forecast"} and the {@code "thresholdUsd"} it expects. */
    private static void subject(JsonGenerator g, Delivery d) throws IOException {
        if (d instanceof MilestoneDelivery m) {
            g.writeFieldName("milestone");
            g.writeRawValue(m.milestoneJsonText());
        } else if (d instanceof HeadsUpDelivery h) {
            g.writeFieldName("forecast");
            g.writeRawValue(h.forecastJsonText());
            g.writeStringField("thresholdUsd", Money.format(Money.toCents(h.headsUp().threshold().thresholdUsd())));
        }
    }

    /**
     * The body of Alertmanager's {@code POST /api/v2/alerts}: {@code [{"labels", "annotations", "startsAt",
     * "endsAt", "generatorURL"}]}, labels and annotations in name order, times in UTC; {@code endsAt} and
     * {@code generatorURL} left out when null.
     */
    static byte[] alertmanagerAlerts(List<AlertmanagerAlert> alerts) {
        return write(g -> {
            g.writeStartArray();
            for (AlertmanagerAlert a : alerts) {
                g.writeStartObject();
                stringMap(g, "labels", a.labels());
                stringMap(g, "annotations", a.annotations());
                g.writeStringField("startsAt", ContractJson.formatUtcMillis(a.startsAt()));
                if (a.endsAt() != null) {
                    g.writeStringField("endsAt", ContractJson.formatUtcMillis(a.endsAt()));
                }
                if (a.generatorUrl() != null) {
                    g.writeStringField("generatorURL", a.generatorUrl());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void stringMap(JsonGenerator g, String field, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** One outbox line (without the newline): the webhook body plus the occurrence key and the time. */
    static byte[] outboxLine(Delivery d, Instant writtenAt) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("occurrenceKey", d.occurrenceKey());
            subject(g, d);
            notice(g, d.notice());
            g.writeStringField("writtenAt", ContractJson.formatUtcMillis(writtenAt));
            g.writeEndObject();
        });
    }

    /**
     * The value of a delivery record: what was done for one occurrence on one channel. A heads-up names the
     * milestone it anticipates, with type {@code APPROACHING}.
     */
    static byte[] ledgerValue(Delivery d, String channel, String outcome, int attempts, Instant at) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("occurrenceKey", d.occurrenceKey());
            g.writeStringField("milestoneId", d.milestoneId());
            g.writeStringField("type", d.type());
            g.writeStringField("channel", channel);
            g.writeStringField("outcome", outcome);
            g.writeNumberField("attempts", attempts);
            g.writeStringField("at", ContractJson.formatUtcMillis(at));
            g.writeEndObject();
        });
    }

    /**
     * A dead letter: {@code {"occurrenceKey", "channel", "reason", "attempts", "failedAt", "milestone",
     * "source": {"topic", "partition", "offset"}}}; a heads-up's has a null {@code milestone} and, after it,
     * {@code "forecast"} and {@code "thresholdUsd"}. An unreadable milestone or forecast record has a null key,
     * channel and milestone, and its record text in {@code source.value}.
     */
    static byte[] deadLetter(Delivery d, String channel, String reason, int attempts, Instant failedAt,
            String topic, int partition, long offset, String unreadableValue) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("occurrenceKey", d == null ? null : d.occurrenceKey());
            g.writeStringField("channel", channel);
            g.writeStringField("reason", reason);
            g.writeNumberField("attempts", attempts);
            g.writeStringField("failedAt", ContractJson.formatUtcMillis(failedAt));
            if (d instanceof MilestoneDelivery) {
                subject(g, d);
            } else {
                g.writeNullField("milestone");
                if (d != null) {
                    subject(g, d);
                }
            }
            g.writeObjectFieldStart("source");
            g.writeStringField("topic", topic);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
            if (unreadableValue != null) {
                g.writeStringField("value", unreadableValue);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void notice(JsonGenerator g, Notice n) throws IOException {
        g.writeObjectFieldStart("notice");
        g.writeStringField("en", n.en());
        g.writeStringField("ko", n.ko());
        g.writeEndObject();
    }

    /** The top-level string field {@code name} of a JSON object, or null (not an object, absent, unreadable). */
    static String topLevelString(String json, String name) {
        try (JsonParser p = FACTORY.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals(name) && v == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
