package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.testsupport.ContractSchemas;
import io.exportcounter.testsupport.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook channel against a real HTTP receiver on 127.0.0.1, with the notifier on a real broker: CloudEvents
 * (the default) read back with the CloudEvents SDK, and the plain body.
 */
class WebhookDeliveryIT {
    private static final String SECRET = "wh-secret-7f3c9a-never-in-logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the receiver saw: one entry per request. */
    record Received(int answered, String contentType, String idempotencyKey, String signature, byte[] body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopReceiver() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void three_503s_then_accepted_is_one_cloudevent_delivery_with_one_key_and_a_valid_signature(@TempDir Path dir)
            throws Exception {
        // Given a receiver that answers 503 three times, then 200
        String url = startReceiver(n -> n <= 3 ? 503 : 200);
        NotifierConfig config = config("wh-retry", dir, url);
        Milestone m = Milestones.korea700BDetectedNow();

        try (LogCapture logs = new LogCapture(); Notifier notifier = new Notifier(config).start()) {
            // When the milestone arrives
            SharedBroker.produce(config.milestonesTopic(), m);

            // Then it is delivered once, on the fourth attempt
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 1);
            assertThat(received).extracting(Received::answered).containsExactly(503, 503, 503, 200);
            assertThat(received.stream().filter(r -> r.answered() == 200)).hasSize(1);
            // The same Idempotency-Key on every attempt: the occurrence key of the milestone
            String key = Delivery.of(m, Notices.load(config).write(m)).occurrenceKey();
            assertThat(received).extracting(Received::idempotencyKey).containsOnly(key);
            // Each body is signed with the shared secret, as the receiver checks it
            for (Received r : received) {
                assertThat(r.signature()).isEqualTo("sha256=" + hmacSha256(SECRET, r.body()));
                // The CloudEvent's data is the plain body, which the schema describes
                ContractSchemas.assertValid(RecordSchema.NOTIFIER_WEBHOOK_BODY, JSON.writeValueAsBytes(JSON.readTree(r.body()).get("data")));
            }
            // The body is a structured CloudEvent 1.0, read back by the SDK's own reader for its Content-Type
            Received delivered = received.get(3);
            assertThat(delivered.contentType()).isEqualTo("application/cloudevents+json; charset=utf-8");
            EventFormat format = EventFormatProvider.getInstance().resolveFormat(delivered.contentType());
            assertThat(format).as("the SDK has a format for %s", delivered.contentType()).isNotNull();
            CloudEvent event = format.deserialize(delivered.body());
            Milestone sent = ContractJson.instance().parseMilestone(ContractJson.instance().write(m));
            assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
            assertThat(event.getId()).isEqualTo(key);
            assertThat(event.getType()).isEqualTo("io.exportcounter.milestone.crossed");
            assertThat(event.getSource()).hasToString(NotifierConfig.DEFAULT_EVENT_SOURCE);
            assertThat(event.getSubject()).isEqualTo("2025|NATIONAL|KR|700000000000");
            assertThat(event.getTime().toInstant()).isEqualTo(sent.detectedAt());
            assertThat(event.getDataContentType()).isEqualTo("application/json");
            // Its data: the contract milestone and both notices
            JsonNode data = JSON.readTree(event.getData().toBytes());
            assertThat(data.get("milestone")).isEqualTo(JSON.readTree(ContractJson.instance().write(m)));
            assertThat(data.get("notice").get("en").asText())
                    .startsWith("As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports");
            assertThat(data.get("notice").get("ko").asText())
                    .isEqualTo("2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.");
            assertThat(SharedBroker.readAll(config.deadLetterTopic())).isEmpty();
            // The delivery is recorded under <occurrence key>|webhook
            assertThat(SharedBroker.readAll(config.deliveredTopic())).extracting(ConsumerRecord::key)
                    .containsExactly(key + "|webhook");

            // Each failed attempt is one WARN line without a stack trace, and the secret is never logged
            List<ILoggingEvent> retries = logs.events().stream()
                    .filter(e -> e.getLoggerName().equals(Retrier.class.getName())).toList();
            assertThat(retries).hasSize(3).allSatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getThrowableProxy()).isNull();
                assertThat(e.getFormattedMessage()).contains("HTTP 503").contains("retrying in");
            });
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(SECRET));
        }
    }

    @Test
    void the_plain_format_posts_the_milestone_and_notice_as_it_did_before_cloudevents(@TempDir Path dir) throws Exception {
        // Given a webhook configured for the plain body
        String url = startReceiver(n -> 200);
        NotifierConfig config = config("wh-plain", dir, url).with("webhook.format", "plain");
        Milestone m = Milestones.korea700BDetectedNow();

        try (Notifier notifier = new Notifier(config).start()) {
            // When the milestone arrives
            SharedBroker.produce(config.milestonesTopic(), m);

            // Then the receiver gets {"milestone", "notice"} as application/json, signed, with its key
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 1);
            assertThat(received).hasSize(1);
            Received r = received.get(0);
            assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(r.signature()).isEqualTo("sha256=" + hmacSha256(SECRET, r.body()));
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_WEBHOOK_BODY, r.body());
            assertThat(r.idempotencyKey()).isEqualTo(Delivery.of(m, Notices.load(config).write(m)).occurrenceKey());
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.has("specversion")).isFalse();
            assertThat(body.get("milestone")).isEqualTo(JSON.readTree(ContractJson.instance().write(m)));
            assertThat(body.get("notice").get("ko").asText()).startsWith("2025년 12월 29일 오후 1시 3분 기준");
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .startsWith("{\"milestone\":" + new String(ContractJson.instance().write(m), StandardCharsets.UTF_8));
        }
    }

    @Test
    void a_400_goes_straight_to_the_dead_letter_topic_after_one_attempt(@TempDir Path dir) throws Exception {
        // Given a receiver that refuses the notice
        String url = startReceiver(n -> 400);
        NotifierConfig config = config("wh-400", dir, url);
        Milestone m = Milestones.korea700BDetectedNow();

        try (Notifier notifier = new Notifier(config).start()) {
            SharedBroker.produce(config.milestonesTopic(), m);

            // Then one attempt, and a dead letter with the milestone, channel, reason and attempts
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().deadLettered() == 1);
            assertThat(received).extracting(Received::answered).containsExactly(400);
            List<ConsumerRecord<String, byte[]>> dead = SharedBroker.readAll(config.deadLetterTopic());
            assertThat(dead).hasSize(1);
            String letter = new String(dead.get(0).value(), StandardCharsets.UTF_8);
            assertThat(Json.topLevelString(letter, "channel")).isEqualTo("webhook");
            assertThat(Json.topLevelString(letter, "reason")).isEqualTo("HTTP 400: no such hook");
            assertThat(Json.topLevelString(letter, "failedAt")).endsWith("Z");
            assertThat(letter).contains("\"attempts\":1")
                    .contains("\"milestone\":" + new String(ContractJson.instance().write(m), StandardCharsets.UTF_8));
            // Recorded as given up, so a restart does not try again
            assertThat(new String(SharedBroker.readAll(config.deliveredTopic()).get(0).value(), StandardCharsets.UTF_8))
                    .contains("\"outcome\":\"DEAD_LETTERED\"");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 1);
        }
    }

    private NotifierConfig config(String prefix, Path dir, String url) {
        Properties p = SharedBroker.notifierProperties(prefix, dir);
        p.setProperty("outbox.enabled", "false");
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", url);
        p.setProperty("webhook.secret", "${env:TEST_WEBHOOK_SECRET}");
        p.setProperty("retry.max-attempts", "5");
        return NotifierConfig.fromProperties(p, Map.of("TEST_WEBHOOK_SECRET", SECRET)::get);
    }

    /** A receiver on a free port of 127.0.0.1; {@code answer} maps the request number (from 1) to a status. */
    private String startReceiver(IntUnaryOperator answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = answer.applyAsInt(received.size() + 1);
            received.add(new Received(status, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("X-Signature-SHA256"), body));
            byte[] reply = (status == 400 ? "no such hook" : status == 200 ? "ok" : "busy").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static String hmacSha256(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
