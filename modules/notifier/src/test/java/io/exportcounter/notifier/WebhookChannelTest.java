package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.config.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** What the webhook sends, without a network: the CloudEvent and the plain body, their headers and signature. */
class WebhookChannelTest {
    private static final String SECRET = "unit-test-signing-secret";
    private static final URI SOURCE = URI.create("urn:export-counter:test");

    private final Notices notices = Notices.load(NotifierConfig.defaults());
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void a_crossing_is_a_structured_cloudevent_signed_over_the_bytes_sent() throws Exception {
        // Given a crossing and the default (CloudEvents) webhook
        Delivery d = delivery(Milestones.korea700B());

        // When its request is made
        WebhookChannel.Request r = channel(NotifierConfig.WebhookFormat.CLOUDEVENTS).request(d);

        // Then the SDK's reader, found by the request's Content-Type, reads it back as a CloudEvent 1.0
        String contentType = r.headers().get("Content-Type");
        assertThat(contentType).isEqualTo("application/cloudevents+json; charset=utf-8");
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(contentType);
        assertThat(format).as("an EventFormat for %s", contentType).isNotNull();
        CloudEvent event = format.deserialize(r.body());
        assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(event.getId()).isEqualTo(d.occurrenceKey());
        assertThat(event.getType()).isEqualTo("io.exportcounter.milestone.crossed");
        assertThat(event.getSource()).isEqualTo(SOURCE);
        assertThat(event.getSubject()).isEqualTo("2025|NATIONAL|KR|700000000000");
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2025-12-29T04:03:27.412Z"));
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        // Its data is the plain webhook body: the contract milestone and both notices
        assertThat(mapper.readTree(event.getData().toBytes())).isEqualTo(mapper.readTree(Json.webhookBody(d)));

        // The JSON on the wire, as a receiver without the SDK sees it: data is an object, not base64
        JsonNode wire = mapper.readTree(r.body());
        assertThat(wire.get("specversion").asText()).isEqualTo("1.0");
        assertThat(wire.get("time").asText()).isEqualTo("2025-12-29T04:03:27.412Z");
        assertThat(wire.has("data_base64")).isFalse();
        assertThat(wire.get("data").get("milestone").get("totalUsd").asText()).isEqualTo("700000001234.56");
        assertThat(wire.get("data").get("notice").get("ko").asText()).startsWith("2025년 12월 29일 오후 1시 3분 기준");

        // Signed over exactly these bytes; the Idempotency-Key is the event id
        assertThat(r.headers()).containsEntry(WebhookChannel.SIGNATURE_HEADER, "sha256=" + hmacSha256(r.body()))
                .containsEntry(WebhookChannel.IDEMPOTENCY_HEADER, d.occurrenceKey());
        // Every attempt sends the same bytes, so a receiver sees one signature per occurrence
        assertThat(channel(NotifierConfig.WebhookFormat.CLOUDEVENTS).request(d).body()).isEqualTo(r.body());
    }

    @Test
    void a_retraction_has_its_own_type_and_id_and_the_same_subject() throws Exception {
        Milestone crossed = Milestones.korea700B();
        Delivery d = delivery(Milestones.retracted(crossed, "699987654321.00", "2025-12-29T09:12:00+09:00",
                Instant.parse("2025-12-30T00:12:00.5Z")));

        CloudEvent event = NoticeEvents.of(d, SOURCE);

        assertThat(event.getType()).isEqualTo("io.exportcounter.milestone.retracted");
        assertThat(event.getSubject()).isEqualTo(crossed.milestoneId());
        assertThat(event.getId()).isEqualTo(d.occurrenceKey()).isNotEqualTo(delivery(crossed).occurrenceKey());
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2025-12-30T00:12:00.5Z"));
        // The naming rule leaves room for other event families
        assertThat(NoticeEvents.type("forecast", "APPROACHING")).isEqualTo("io.exportcounter.forecast.approaching");
    }

    @Test
    void the_plain_format_is_the_milestone_and_notice_body_as_before() throws Exception {
        Delivery d = delivery(Milestones.korea700B());

        WebhookChannel.Request r = channel(NotifierConfig.WebhookFormat.PLAIN).request(d);

        assertThat(r.body()).isEqualTo(Json.webhookBody(d));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"milestone\":{\"milestoneId\":");
        assertThat(r.headers()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry(WebhookChannel.SIGNATURE_HEADER, "sha256=" + hmacSha256(r.body()))
                .containsEntry(WebhookChannel.IDEMPOTENCY_HEADER, d.occurrenceKey());
    }

    private Delivery delivery(Milestone m) {
        return Delivery.of(m, notices.write(m));
    }

    private static WebhookChannel channel(NotifierConfig.WebhookFormat format) {
        return new WebhookChannel(URI.create("http://127.0.0.1:9/hook"), Secret.of(SECRET), Duration.ofSeconds(1),
                Duration.ofSeconds(1), format, SOURCE);
    }

    private static String hmacSha256(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void a_heads_up_is_a_forecast_approaching_event_about_the_milestone_it_anticipates() throws Exception {
        io.exportcounter.contract.Forecast f = Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00");
        HeadsUp h = new HeadsUp(f, f.thresholds().get(0));
        HeadsUpDelivery d = HeadsUpDelivery.of(h, notices.write(h), Instant.parse("2025-12-28T09:00:01.250Z"));

        WebhookChannel.Request r = channel(NotifierConfig.WebhookFormat.CLOUDEVENTS).request(d);
        CloudEvent event = NoticeEvents.of(d, SOURCE);

        assertThat(event.getType()).isEqualTo("io.exportcounter.forecast.approaching");
        assertThat(event.getId()).isEqualTo("2025|NATIONAL|KR|700000000000|APPROACHING");
        assertThat(event.getSubject()).isEqualTo("2025|NATIONAL|KR|700000000000");
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2025-12-28T09:00:00Z"));
        com.fasterxml.jackson.databind.JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(event.getData().toBytes());
        assertThat(data.get("forecast").get("thresholds").get(0).get("expectedAt").asText()).isEqualTo("2025-12-29T14:20:00+09:00");
        assertThat(data.get("thresholdUsd").asText()).isEqualTo("700000000000.00");
        assertThat(data.has("milestone")).isFalse();
        assertThat(data.get("notice").get("en").asText()).endsWith("This is an estimate, not an announcement.");
        assertThat(r.headers()).containsEntry(WebhookChannel.IDEMPOTENCY_HEADER, "2025|NATIONAL|KR|700000000000|APPROACHING");
        // The plain body has the same fields
        assertThat(new String(channel(NotifierConfig.WebhookFormat.PLAIN).request(d).body(), StandardCharsets.UTF_8))
                .startsWith("{\"forecast\":{\"year\":\"2025\"").contains(",\"thresholdUsd\":\"700000000000.00\",\"notice\":{");
    }
}
