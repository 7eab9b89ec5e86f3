package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.testsupport.ContractSchemas;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heads-up notices on a real broker: forecast records published to the forecasts topic as stage 2 writes them, a
 * notifier with a webhook (a receiver on 127.0.0.1) and the file outbox. One notice per threshold and channel, the
 * first time its expected time falls within the horizon, never on the milestones topic; also when the notifier JVM
 * halts between a delivery and its record and is started again.
 */
class HeadsUpIT {
    private static final String SECRET = "heads-up-secret-never-in-logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    /** The Idempotency-Key of each request the receiver got, and the body. */
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopReceiver() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void each_threshold_gets_one_heads_up_per_channel_the_first_time_it_is_expected_within_24_hours(@TempDir Path dir)
            throws Exception {
        // Given a notifier with the webhook and the outbox, following the forecasts
        Properties p = properties("hu", dir, startReceiver());
        NotifierConfig config = NotifierConfig.fromProperties(p, Map.of("TEST_WEBHOOK_SECRET", SECRET)::get);
        Path outbox = config.outboxFile();
        try (Notifier notifier = new Notifier(config).start()) {
            assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();

            // When December's forecasts come in: $700B expected in 44 hours, then within 24, then again within 24
            // (a later, closer estimate), then not this year (a big cancellation), then within 24 once more;
            // semiconductors' $200B and $210B both expected within 24 hours of one forecast
            OffsetDateTime chipsAt = OffsetDateTime.parse("2025-12-29T11:00:00+09:00");
            List<Forecast> forecasts = List.of(
                    Forecasts.korea("2025-12-27T18:00:00+09:00", "2025-12-29T14:20:00+09:00"),
                    Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00"),
                    Forecasts.korea("2025-12-29T09:00:00+09:00", "2025-12-29T13:40:00+09:00"),
                    Forecasts.korea("2025-12-29T10:00:00+09:00", null),
                    Forecasts.korea("2025-12-29T11:00:00+09:00", "2025-12-29T13:10:00+09:00"),
                    Forecasts.forecast(Dimension.CATEGORY, "SEMICONDUCTORS", "2025-12-28T20:00:00+09:00", List.of(
                            Forecasts.threshold("200000000000.00", chipsAt, chipsAt.minusHours(6), chipsAt.plusHours(8), "0.93"),
                            Forecasts.threshold("210000000000.00", chipsAt.plusHours(8), chipsAt, null, "0.61"))));
            for (Forecast f : forecasts) {
                SharedBroker.produce(config.forecastsTopic(), f);
            }

            // Then every forecast is read...
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> notifier.stats().forecasts() == forecasts.size());
            // ...and each of the three thresholds got one webhook and one outbox line, no more
            List<String> expected = List.of("2025|NATIONAL|KR|700000000000|APPROACHING",
                    "2025|CATEGORY|SEMICONDUCTORS|200000000000|APPROACHING",
                    "2025|CATEGORY|SEMICONDUCTORS|210000000000|APPROACHING");
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> keys.size() == 3);
            assertThat(keys).containsExactlyElementsOf(expected);
            List<String> lines = Files.readAllLines(outbox, StandardCharsets.UTF_8);
            assertThat(lines).extracting(line -> Json.topLevelString(line, "occurrenceKey")).containsExactlyElementsOf(expected);
            lines.forEach(line -> ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, line));

            // The $700B heads-up is the one of the first forecast within 24 hours, marked as an estimate
            JsonNode first = JSON.readTree(lines.get(0));
            assertThat(first.path("forecast").path("asOf").asText()).isEqualTo("2025-12-28T18:00:00+09:00");
            assertThat(first.path("thresholdUsd").asText()).isEqualTo("700000000000.00");
            assertThat(first.path("notice").path("en").asText()).startsWith(
                    "Korea's exports for 2025 are expected to pass $700 billion around 2 p.m. tomorrow, December 29 (KST).")
                    .endsWith("This is an estimate, not an announcement.");
            assertThat(first.path("notice").path("ko").asText()).startsWith(
                    "2025년 한국의 수출액이 내일(12월 29일) 오후 2시경 7,000억 달러를 넘어설 것으로 예상됩니다.");
            JsonNode event = JSON.readTree(bodies.get(0));
            assertThat(event.path("type").asText()).isEqualTo("io.exportcounter.forecast.approaching");
            assertThat(event.path("subject").asText()).isEqualTo("2025|NATIONAL|KR|700000000000");
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_WEBHOOK_BODY, JSON.writeValueAsBytes(event.path("data")));

            // Recorded once per threshold and channel; never a milestone, never a dead letter
            assertThat(SharedBroker.readAll(config.deliveredTopic())).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder(expected.stream().flatMap(k -> List.of(k + "|webhook", k + "|outbox").stream())
                            .toArray(String[]::new));
            assertThat(SharedBroker.readAll(config.milestonesTopic())).isEmpty();
            assertThat(SharedBroker.readAll(config.deadLetterTopic())).isEmpty();
            assertThat(notifier.stats().delivered()).isEqualTo(6);
        }

        // And a notifier started again on the same group and records sends nothing more for a forecast still within
        try (Notifier again = new Notifier(config).start()) {
            assertThat(again.awaitReady(Duration.ofSeconds(60))).isTrue();
            SharedBroker.produce(config.forecastsTopic(), Forecasts.korea("2025-12-29T12:00:00+09:00", "2025-12-29T13:05:00+09:00"));
            await().atMost(Duration.ofSeconds(30)).until(() -> again.stats().forecasts() == 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> keys.size() == 3);
            assertThat(Files.readAllLines(outbox, StandardCharsets.UTF_8)).hasSize(3);
            assertThat(again.stats().delivered()).isZero();
        }
    }

    @Test
    void a_notifier_halted_between_delivering_and_recording_a_heads_up_sends_it_once_after_a_restart(@TempDir Path dir)
            throws Exception {
        // Given a notifier JVM with the webhook and the outbox, told to halt once the outbox line is written and fsynced,
        // before its delivery record and the offset commit (the webhook, delivered first, is recorded)
        Properties p = properties("hu-crash", dir, startReceiver());
        Path configFile = dir.resolve("notifier.properties");
        try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            p.store(out, "heads-up crash test");
        }
        NotifierConfig config = NotifierConfig.fromProperties(p, Map.of("TEST_WEBHOOK_SECRET", SECRET)::get);
        NotifierTopics.createMissing(config);
        Path outbox = config.outboxFile();
        Path log = Path.of("target", "heads-up-it.log");
        Files.deleteIfExists(log);

        Process first = start(configFile, log, Notifier.HALT_AFTER_DELIVERY_PROPERTY + "=outbox");
        try {
            // When a forecast expects $700B within 24 hours
            SharedBroker.produce(config.forecastsTopic(), Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00"));

            // Then the webhook and the outbox line go out, and the JVM halts before recording the outbox
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("notifier halted").isTrue();
            assertThat(first.exitValue()).isEqualTo(Notifier.HALT_EXIT_CODE);
        } finally {
            first.destroyForcibly();
        }
        assertThat(keys).containsExactly("2025|NATIONAL|KR|700000000000|APPROACHING");
        assertThat(Files.readAllLines(outbox, StandardCharsets.UTF_8)).hasSize(1);
        assertThat(SharedBroker.readAll(config.deliveredTopic())).extracting(ConsumerRecord::key)
                .containsExactly("2025|NATIONAL|KR|700000000000|APPROACHING|webhook");

        // When the notifier is started again, and a later forecast also expects $700B within 24 hours
        Process second = start(configFile, log, null);
        try {
            SharedBroker.produce(config.forecastsTopic(), Forecasts.korea("2025-12-29T09:00:00+09:00", "2025-12-29T13:40:00+09:00"));

            // Then the heads-up is recorded for the outbox without a second line, and no channel sends it again
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    SharedBroker.readAll(config.deliveredTopic()).size() == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    keys.size() == 1 && Files.readAllLines(outbox, StandardCharsets.UTF_8).size() == 1);
            assertThat(SharedBroker.readAll(config.deliveredTopic())).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                    "2025|NATIONAL|KR|700000000000|APPROACHING|webhook", "2025|NATIONAL|KR|700000000000|APPROACHING|outbox");
            assertThat(Files.readString(log)).contains("already in " + outbox)
                    .contains("webhook of 2025|NATIONAL|KR|700000000000|APPROACHING")
                    .doesNotContain(SECRET);
            assertThat(SharedBroker.readAll(config.milestonesTopic())).isEmpty();
        } finally {
            second.destroy(); // SIGTERM: the shutdown hook closes the notifier cleanly
            if (!second.waitFor(30, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Properties properties(String prefix, Path dir, String url) {
        Properties p = SharedBroker.notifierProperties(prefix, dir);
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", url);
        p.setProperty("webhook.secret", "${env:TEST_WEBHOOK_SECRET}");
        return p;
    }

    /** A receiver on a free port of 127.0.0.1 that accepts everything. */
    private String startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** A notifier JVM of its own (as NotifierCrashIT starts one), with a test hook {@code name=value} or none. */
    private static Process start(Path config, Path log, String hook) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        if (hook != null) {
            cmd.add("-D" + hook);
        }
        cmd.add(NotifierMain.class.getName());
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("TEST_WEBHOOK_SECRET", SECRET);
        return pb.start();
    }
}
