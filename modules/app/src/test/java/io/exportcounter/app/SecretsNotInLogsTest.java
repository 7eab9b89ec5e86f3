package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches a log line. The pipeline and the notifier run as a user runs them (own JVM, the
 * shipped Logback set-up) but with every logger turned up to INFO or DEBUG, Kafka's configuration dumps
 * included; their secrets come from the environment ({@code ${env:NAME}}) and from the files, each a
 * unique marker; the runs go through the paths that handle secrets (requests with right and wrong
 * tokens, failed webhook and SMTP deliveries, a stop). Then no marker may appear in what they printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsNotInLogsTest {
    private static final String API_TOKEN = "apitoken-MARKER-7c1e4d9a0b2f";
    private static final String WRONG_TOKEN = "wrongtoken-MARKER-55aa0f3e";
    private static final String SSL_PASSWORD = "sslpass-MARKER-91b3";
    private static final String SASL_PASSWORD = "saslpass-MARKER-3c8e";
    private static final String WEBHOOK_SECRET = "hooksecret-MARKER-e0d2";
    private static final String SMTP_PASSWORD = "smtppass-MARKER-6f41";
    private static final List<String> MARKERS = List.of(API_TOKEN, WRONG_TOKEN, SSL_PASSWORD, SASL_PASSWORD,
            WEBHOOK_SECRET, SMTP_PASSWORD, "MARKER");
    /**
     * Everything Export Counter (DEBUG) and every library (INFO) would say, Kafka's configuration dumps
     * included: config/logback.xml keeps those off, but an operator may turn them on.
     */
    private static final String VERBOSE_LOGBACK = """
            <configuration>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
              <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger - %msg%n%ex</pattern></encoder>
              </appender>
              <logger name="io.exportcounter" level="DEBUG"/>
              <root level="INFO"><appender-ref ref="CONSOLE"/></root>
            </configuration>
            """;

    private TestKafka broker;
    private String verbose;

    @BeforeAll
    void startBroker(@TempDir Path dir) throws IOException {
        broker = KafkaBackend.start();
        Path logback = Files.writeString(dir.resolve("logback-verbose.xml"), VERBOSE_LOGBACK);
        // After the launcher's own -Dlogback.configurationFile: the last one given wins.
        verbose = "-Dlogback.configurationFile=" + logback;
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void the_pipeline_logs_no_token_and_no_kafka_credential(@TempDir Path work) throws Exception {
        int httpPort = Cli.freePort();
        Path config = work.resolve("pipeline.properties");
        // The SSL and SASL settings are taken and logged by the Kafka clients but not used on a PLAINTEXT broker.
        Files.writeString(config, String.join("\n",
                "streams.bootstrap.servers=" + broker.bootstrapServers(),
                "streams.application.id=secrets-test",
                "streams.state.dir=" + work.resolve("state"),
                "streams.ssl.key.password=" + SSL_PASSWORD,
                "streams.ssl.truststore.password=${env:EC_TEST_SSL_PASSWORD}",
                "streams.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"counter\" password=\"${env:EC_TEST_SASL_PASSWORD}\";",
                "http.port=" + httpPort,
                "http.auth.token=${env:EC_TEST_TOKEN}",
                ""));
        Process pipeline = Cli.inOwnJvm(work).jvmOption(verbose).env(Map.of("EC_TEST_TOKEN", API_TOKEN,
                "EC_TEST_SSL_PASSWORD", SSL_PASSWORD, "EC_TEST_SASL_PASSWORD", SASL_PASSWORD))
                .args("pipeline", "--config", config.toString()).start().process();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(pipeline.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(pipeline.getErrorStream()));
        try {
            // Given a running pipeline whose API needs the token
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                    !pipeline.isAlive() || get(httpPort, "/health", null) == 200);
            assertThat(pipeline.isAlive()).as("pipeline running (stderr: %s)", pipeline.isAlive() ? "" : err.join()).isTrue();
            // When it is asked with the token, with a wrong one, and on the events stream with the token in the query
            assertThat(get(httpPort, "/api/v1/status", API_TOKEN)).isEqualTo(200);
            assertThat(get(httpPort, "/api/v1/status", WRONG_TOKEN)).isEqualTo(401);
            assertThat(get(httpPort, "/metrics", WRONG_TOKEN)).isEqualTo(401);
            assertThat(get(httpPort, "/api/v1/events?year=2025&access_token=" + WRONG_TOKEN, null)).isEqualTo(401);
            // and stopped
            pipeline.toHandle().destroy();
            assertThat(pipeline.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pipeline.destroyForcibly();
        }
        String logs = out.join() + err.join();
        // Then it said a lot, Kafka's configuration included, and no secret.
        assertThat(logs).contains("Serving the API").contains("bearer token required").contains("StreamsConfig values:")
                .contains("ssl.key.password = [hidden]").contains("sasl.jaas.config = [hidden]");
        // A normal stop is not an error: the live-events consumer closes without a stack trace.
        assertThat(logs).contains("Stopping the pipeline").doesNotContain("Failed to close fetcher");
        assertNoMarker("pipeline", logs);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void the_notifier_logs_no_webhook_secret_and_no_smtp_password(@TempDir Path work) throws Exception {
        // A webhook receiver that fails every delivery, and an SMTP port nobody listens on.
        AtomicInteger webhookCalls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        hook.createContext("/hook", exchange -> {
            webhookCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        hook.start();
        String topic = "secrets-test.milestones";
        Path config = work.resolve("notifier.properties");
        Files.writeString(config, String.join("\n",
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "kafka.group.id=secrets-test-notifier",
                "kafka.ssl.keystore.password=" + SSL_PASSWORD,
                "topics.milestones=" + topic,
                "retry.max-attempts=2",
                "retry.initial-backoff=PT0.1S",
                "webhook.enabled=true",
                "webhook.url=http://localhost:" + hook.getAddress().getPort() + "/hook",
                "webhook.secret=${env:EC_TEST_WEBHOOK_SECRET}",
                "email.enabled=true",
                "email.smtp.host=localhost",
                "email.smtp.port=" + Cli.freePort(),
                "email.smtp.security=none",
                "email.smtp.username=press",
                "email.smtp.password=${env:EC_TEST_SMTP_PASSWORD}",
                "email.from=counter@example.org",
                "email.to=press@example.org",
                "outbox.file=" + work.resolve("notices.jsonl"),
                ""));
        Process notifier = Cli.inOwnJvm(work).jvmOption(verbose)
                .env(Map.of("EC_TEST_WEBHOOK_SECRET", WEBHOOK_SECRET, "EC_TEST_SMTP_PASSWORD", SMTP_PASSWORD))
                .args("notifier", "--config", config.toString()).start().process();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(notifier.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(notifier.getErrorStream()));
        try {
            // Given a running notifier, when a milestone arrives and both channels fail to deliver it
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    !notifier.isAlive() || topicExists(topic));
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(topic, "2025|NATIONAL|KR|700000000000", ContractJson.instance().write(
                        milestoneDetectedNow()))).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !notifier.isAlive() || webhookCalls.get() >= 2 && Files.exists(work.resolve("notices.jsonl")));
            assertThat(notifier.isAlive()).as("notifier running (stderr: %s)", notifier.isAlive() ? "" : err.join()).isTrue();
            // Let the e-mail attempts fail too before stopping.
            Thread.sleep(2_000);
            notifier.toHandle().destroy();
            assertThat(notifier.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            notifier.destroyForcibly();
            hook.stop(0);
        }
        String logs = out.join() + err.join();
        // Then it logged its start, the deliveries and Kafka's configuration, and no secret.
        assertThat(logs).contains("Gave up webhook delivery").contains("Gave up email delivery")
                .contains("ssl.keystore.password = [hidden]");
        assertNoMarker("notifier", logs);
    }

    private static void assertNoMarker(String who, String logs) {
        for (String marker : MARKERS) {
            assertThat(logs).as("%s logs contain the secret %s", who, marker).doesNotContain(marker);
        }
    }

    private boolean topicExists(String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            return false;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static Milestone milestoneDetectedNow() {
        return new Milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD, MilestoneType.CROSSED, "2025",
                Dimension.NATIONAL, "KR", new BigDecimal("700000000000.00"), new BigDecimal("700000001234.56"),
                OffsetDateTime.parse("2025-12-29T13:03:27+09:00"), "1:03 p.m.", "43210-25-0123456X", Instant.now(), true);
    }

    private static int get(int port, String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
