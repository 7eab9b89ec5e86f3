package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.Money;
import io.exportcounter.kafka.TlsMaterial;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TestKafka;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS ({@code serving.tls.keystore.*}), on a real broker with two pipeline instances that forward queries
 * to each other over HTTPS: a TLS client trusting the CA gets the data, plain HTTP and a client that does not trust the
 * certificate get nothing, and a bad keystore setting stops the start naming its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingTlsIT {
    private static final String TLS_PASSWORD_ENV = "EXPORT_COUNTER_TLS_PASSWORD";

    private TestKafka broker;
    private TlsMaterial tls;
    private PipelineRunner runnerA;
    private PipelineRunner runnerB;
    private ServingServer serverA;
    private ServingServer serverB;
    private HttpClient trusting;
    private final TradeYear year = TradeYear.of2025(20, Mix.MARKET);
    private long janToNov;

    @BeforeAll
    void given_two_instances_serving_https_and_a_year_counted(@TempDir Path dir) throws Exception {
        tls = TlsMaterial.generate(dir.resolve("tls"));
        tls.keystore("export-counter");
        trusting = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        broker = KafkaBackend.start();
        runnerA = new PipelineRunner(config(dir.resolve("a")));
        serverA = ServingServer.start(runnerA);
        runnerA.start();
        runnerB = new PipelineRunner(config(dir.resolve("b")));
        serverB = ServingServer.start(runnerB);
        runnerB.start();
        Runners.awaitGroupOfTwo(runnerA, runnerB);
        try (KafkaProducer<String, String> producer = KafkaTopics.producer(broker.bootstrapServers())) {
            TradeYear.send(producer, runnerA.config().declarationsTopic(), year.months(1, 11));
        }
        janToNov = TradeYear.sum(year.months(1, 11));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> r = get(trusting, "https", serverA.port(), "/api/v1/totals/2025");
            return r.statusCode() == 200 && json(r).path("totalUsd").asText().equals(Money.format(janToNov));
        });
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {serverA, serverB, runnerA, runnerB, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void a_tls_client_trusting_the_ca_gets_the_same_totals_from_both_instances_one_forwarding_over_https() throws Exception {
        HttpResponse<String> a = get(trusting, "https", serverA.port(), "/api/v1/totals/2025");
        HttpResponse<String> b = get(trusting, "https", serverB.port(), "/api/v1/totals/2025");
        assertThat(serverA.scheme()).isEqualTo("https");
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(json(a)).isEqualTo(json(b));
        assertThat(json(a).path("totalUsd").asText()).isEqualTo(Money.format(janToNov));
        // One instance holds the country's totals: the other fetched them from it, over HTTPS.
        assertThat(a.headers().firstValue(QueryRouter.SERVED_BY)).isEqualTo(b.headers().firstValue(QueryRouter.SERVED_BY));
        HttpResponse<String> status = get(trusting, "https", serverB.port(), "/api/v1/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status).path("instances")).hasSize(2);
    }

    @Test
    void plain_http_to_the_https_port_gets_no_data() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int port : new int[] {serverA.port(), serverB.port()}) {
            Throwable failure = catchThrowable(() -> {
                HttpResponse<String> r = get(plain, "http", port, "/api/v1/totals/2025");
                // Whatever comes back is not the API's answer.
                assertThat(r.statusCode()).isNotEqualTo(200);
                assertThat(r.body()).doesNotContain("totalUsd");
            });
            if (failure != null) {
                assertThat(failure).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_cannot_connect() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> get(untrusting, "https", serverA.port(), "/health")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void a_bad_keystore_setting_stops_the_start_naming_its_key_and_never_the_password(@TempDir Path dir) throws Exception {
        Path keystore = tls.keystore("export-counter");
        Properties base = new Properties();
        base.setProperty("streams.bootstrap.servers", broker.bootstrapServers());
        base.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, keystore.toString());
        base.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD, "${env:" + TLS_PASSWORD_ENV + "}");

        String wrong = "wrong-Password-5521";
        PipelineConfig wrongPassword = PipelineConfig.fromProperties(base, Map.of(TLS_PASSWORD_ENV, wrong)::get);
        assertThatThrownBy(() -> ServingTls.from(wrongPassword)).isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("config key '" + PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD + "'")
                .message().doesNotContain(wrong).doesNotContain(tls.password());

        Properties missing = (Properties) base.clone();
        missing.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, dir.resolve("no-such.p12").toString());
        assertThatThrownBy(() -> PipelineConfig.fromProperties(missing, Map.of(TLS_PASSWORD_ENV, tls.password())::get))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("config key '" + PipelineConfig.SERVING_TLS_KEYSTORE_PATH + "'");

        Properties noPassword = (Properties) base.clone();
        noPassword.remove(PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD);
        assertThatThrownBy(() -> PipelineConfig.fromProperties(noPassword)).isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("config key '" + PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD + "'");

        Path notAKeystore = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
        Properties garbage = (Properties) base.clone();
        garbage.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, notAKeystore.toString());
        assertThatThrownBy(() -> ServingTls.from(PipelineConfig.fromProperties(garbage, Map.of(TLS_PASSWORD_ENV, tls.password())::get)))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("config key '" + PipelineConfig.SERVING_TLS_KEYSTORE_PATH + "'");

        Properties badType = (Properties) base.clone();
        badType.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_TYPE, "PEM");
        assertThatThrownBy(() -> PipelineConfig.fromProperties(badType, Map.of(TLS_PASSWORD_ENV, tls.password())::get))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("config key '" + PipelineConfig.SERVING_TLS_KEYSTORE_TYPE + "'");
    }

    private PipelineConfig config(Path stateDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("streams.bootstrap.servers", broker.bootstrapServers());
        p.setProperty("streams.application.id", "serving-tls-it");
        p.setProperty("streams.state.dir", Files.createDirectories(stateDir).toString());
        p.setProperty("topics.partitions", "4");
        p.setProperty("http.port", String.valueOf(freePort()));
        p.setProperty("http.advertised-host", "localhost");
        p.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, tls.keystore("export-counter").toString());
        p.setProperty(PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD, "${env:" + TLS_PASSWORD_ENV + "}");
        return PipelineConfig.fromProperties(p, Map.of(TLS_PASSWORD_ENV, tls.password())::get);
    }

    private static HttpResponse<String> get(HttpClient client, String scheme, int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return new ObjectMapper().readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
