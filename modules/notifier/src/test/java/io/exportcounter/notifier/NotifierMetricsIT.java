package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's Prometheus endpoint ({@code metrics.port}) scraped over HTTP while it delivers real milestones
 * from a real broker to a real webhook receiver and its outbox: the counters start at zero and move with what
 * happens (a delivery after a retry, a dead letter, an unreadable record), and the delivery lag is measured from
 * the milestone's detectedAt.
 */
class NotifierMetricsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpServer receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void the_counters_move_with_deliveries_retries_and_dead_letters(@TempDir Path dir) throws Exception {
        // Given a receiver that answers the first request 503, the second 200 and every later one 400,
        // and a notifier with the webhook and the outbox, serving its metrics on a free port
        String url = startReceiver(n -> n == 1 ? 503 : n == 2 ? 200 : 400);
        Properties p = SharedBroker.notifierProperties("metrics", dir);
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", url);
        p.setProperty("webhook.secret", "metrics-test-secret");
        p.setProperty("metrics.port", "0");
        NotifierConfig config = NotifierConfig.fromProperties(p);

        try (Notifier notifier = new Notifier(config).start()) {
            int port = notifier.metricsPort();
            assertThat(port).isPositive();

            // Then, before any milestone, every series of the enabled channels is there at zero
            Scrape before = scrape(port);
            for (String channel : new String[] {"webhook", "outbox"}) {
                for (String outcome : new String[] {"delivered", "dead_lettered", "already_done"}) {
                    assertThat(before.value("export_counter_notifier_deliveries_total", "channel", channel, "outcome", outcome))
                            .as("%s %s", channel, outcome).isZero();
                }
                assertThat(before.value("export_counter_notifier_retries_total", "channel", channel)).isZero();
                assertThat(before.value("export_counter_notifier_dead_letters_total", "channel", channel)).isZero();
                assertThat(before.value("export_counter_notifier_delivery_lag_seconds_count", "channel", channel)).isZero();
            }
            assertThat(before.value("export_counter_notifier_dead_letters_total", "channel", "none")).isZero();
            assertThat(before.has("export_counter_notifier_deliveries_total", "channel", "email")).isFalse();
            assertThat(before.has("jvm_memory_used_bytes")).isTrue();

            // When $700 billion, detected 90 seconds ago, is delivered on the webhook's second attempt
            Milestone m700 = detectedAt(Milestones.korea700B(), Instant.now().minusSeconds(90));
            SharedBroker.produce(config.milestonesTopic(), m700);
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().milestones() == 1);

            // Then one delivery per channel, one retry on the webhook, and a lag between 60 and 300 seconds
            Scrape afterFirst = scrape(port);
            assertThat(afterFirst.value("export_counter_notifier_deliveries_total", "channel", "webhook", "outcome", "delivered")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_deliveries_total", "channel", "outbox", "outcome", "delivered")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_retries_total", "channel", "webhook")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_retries_total", "channel", "outbox")).isZero();
            assertThat(afterFirst.value("export_counter_notifier_delivery_lag_seconds_count", "channel", "webhook")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_delivery_lag_seconds_bucket", "channel", "webhook", "le", "60.0")).isZero();
            assertThat(afterFirst.value("export_counter_notifier_delivery_lag_seconds_bucket", "channel", "webhook", "le", "300.0")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_delivery_lag_seconds_sum", "channel", "webhook")).isBetween(90.0, 300.0);
            assertThat(afterFirst.value("export_counter_notifier_milestones_total", "outcome", "notified")).isEqualTo(1);
            assertThat(afterFirst.value("export_counter_notifier_dead_letters_total", "channel", "webhook")).isZero();

            // When $600 billion is refused by the receiver (400), and a record that is not a milestone arrives
            Milestone m600 = Milestones.threshold("2025", Dimension.NATIONAL, "KR", "600000000000.00", "600000000012.00",
                    "2025-10-02T10:00:00+09:00", Instant.now());
            SharedBroker.produce(config.milestonesTopic(), m600);
            produceRaw(config.milestonesTopic(), "{\"not\": \"a milestone\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().milestones() == 3);

            // Then the webhook's dead letter and the unreadable record are counted, each under its channel
            Scrape afterAll = scrape(port);
            assertThat(afterAll.value("export_counter_notifier_deliveries_total", "channel", "webhook", "outcome", "dead_lettered")).isEqualTo(1);
            assertThat(afterAll.value("export_counter_notifier_dead_letters_total", "channel", "webhook")).isEqualTo(1);
            assertThat(afterAll.value("export_counter_notifier_dead_letters_total", "channel", "none")).isEqualTo(1);
            assertThat(afterAll.value("export_counter_notifier_dead_letters_total", "channel", "outbox")).isZero();
            assertThat(afterAll.value("export_counter_notifier_deliveries_total", "channel", "outbox", "outcome", "delivered")).isEqualTo(2);
            assertThat(afterAll.value("export_counter_notifier_milestones_total", "outcome", "unreadable")).isEqualTo(1);
            assertThat(afterAll.value("export_counter_notifier_milestones_total", "outcome", "notified")).isEqualTo(2);
            // As many dead letters as the topic holds
            assertThat(SharedBroker.readAll(config.deadLetterTopic())).hasSize(2);
        }
    }

    @Test
    void the_endpoint_answers_only_get_and_head_on_metrics_and_stops_with_the_notifier(@TempDir Path dir) throws Exception {
        // Given a notifier serving its metrics
        Properties p = SharedBroker.notifierProperties("metrics-http", dir);
        p.setProperty("metrics.port", "0");
        int port;
        try (Notifier notifier = new Notifier(NotifierConfig.fromProperties(p)).start()) {
            port = notifier.metricsPort();

            // Then GET /metrics is the Prometheus text format, HEAD has no body, other paths and methods are refused
            HttpResponse<String> get = send(HttpRequest.newBuilder(uri(port, "/metrics")).GET());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(get.body()).contains("# TYPE export_counter_notifier_deliveries_total counter");
            HttpResponse<String> head = send(HttpRequest.newBuilder(uri(port, "/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(send(HttpRequest.newBuilder(uri(port, "/")).GET()).statusCode()).isEqualTo(404);
            HttpResponse<String> post = send(HttpRequest.newBuilder(uri(port, "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        // When the notifier has stopped, its port is closed
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000))
                    .as("port %d after close()", port).isInstanceOf(IOException.class);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Milestone detectedAt(Milestone m, Instant detectedAt) {
        return new Milestone(m.milestoneId(), m.kind(), m.type(), m.period(), m.dimension(), m.member(), m.thresholdUsd(),
                m.totalUsd(), m.crossedAt(), m.crossedAtLocalTime(), m.declarationId(), detectedAt, true);
    }

    private static void produceRaw(String topic, String value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "garbage", value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Scrape scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, "/metrics")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** A Prometheus text scrape, looked up by sample name and label values. */
    private record Scrape(String text) {
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        /** The value of the one sample named {@code name} with (at least) the given label pairs. */
        double value(String name, String... labelPairs) {
            Double found = null;
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches() && m.group(1).equals(name) && labels(m.group(2)).entrySet().containsAll(pairs(labelPairs).entrySet())) {
                    assertThat(found).as("one sample %s %s in%n%s", name, pairs(labelPairs), text).isNull();
                    found = Double.parseDouble(m.group(3));
                }
            }
            assertThat(found).as("a sample %s %s in%n%s", name, pairs(labelPairs), text).isNotNull();
            return found;
        }

        boolean has(String name, String... labelPairs) {
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches() && m.group(1).equals(name) && labels(m.group(2)).entrySet().containsAll(pairs(labelPairs).entrySet())) {
                    return true;
                }
            }
            return false;
        }

        private static Map<String, String> labels(String text) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (text != null) {
                Matcher m = LABEL.matcher(text);
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            return labels;
        }

        private static Map<String, String> pairs(String... labelPairs) {
            Map<String, String> pairs = new LinkedHashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                pairs.put(labelPairs[i], labelPairs[i + 1]);
            }
            return pairs;
        }
    }

    /** A receiver on a free port of 127.0.0.1; {@code answer} maps the request number (from 1) to a status. */
    private String startReceiver(java.util.function.IntUnaryOperator answer) throws IOException {
        AtomicInteger requests = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(answer.applyAsInt(requests.incrementAndGet()), -1);
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }
}
