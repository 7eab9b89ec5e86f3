package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TestKafka;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The API with {@code http.auth.token} set, on a real broker with two pipeline instances sharing the
 * token: read-only, closed without the token but for health and the dashboard page, open with it,
 * including queries one instance forwards to the other and the dashboard opened as {@code /#token=}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingAuthIT {
    private static final String TOKEN = "c2VjcmV0LXRva2VuLWZvci10ZXN0cw";
    private static final String BEARER = "Bearer " + TOKEN;

    private TestKafka broker;
    private PipelineRunner runnerA;
    private PipelineRunner runnerB;
    private ServingServer serverA;
    private ServingServer serverB;
    private final TradeYear year = TradeYear.of2025(20, Mix.MARKET);
    private long janToNov;

    @BeforeAll
    void given_two_instances_with_a_token_and_a_year_counted(@TempDir Path dir) throws Exception {
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
            Http.Response r = Http.request(serverA.port(), "GET", "/api/v1/totals/2025", "Authorization", BEARER);
            return r.status() == 200 && r.json().path("totalUsd").asText().equals(Money.format(janToNov));
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
    void without_the_token_the_api_and_metrics_answer_401_with_a_challenge() {
        for (String path : List.of("/api/v1/totals/2025", "/api/v1/status", "/api/v1/milestones", "/metrics",
                "/api/v1/events", ServingServer.OPENAPI_PATH, "/no/such/path")) {
            Http.Response r = Http.get(serverA.port(), path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(path).isEqualTo("Bearer realm=\"export-counter\"");
            assertThat(r.json().path("error").asText()).as(path).contains("bearer token");
            assertThat(r.body()).as(path).doesNotContain("totalUsd");
        }
    }

    @Test
    void a_wrong_or_malformed_token_is_refused_as_invalid() {
        for (String authorization : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ",
                "Basic " + TOKEN, TOKEN)) {
            Http.Response r = Http.request(serverB.port(), "GET", "/api/v1/totals/2025", "Authorization", authorization);
            assertThat(r.status()).as(authorization).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(authorization).contains("error=\"invalid_token\"");
            assertThat(r.body()).as(authorization).doesNotContain(TOKEN);
        }
        // The query-string form is for the events stream only (a browser's EventSource cannot send headers).
        assertThat(Http.get(serverA.port(), "/api/v1/totals/2025?access_token=" + TOKEN).status()).isEqualTo(401);
    }

    @Test
    void with_the_token_both_instances_answer_the_same_one_forwarding_to_the_other() {
        Http.Response a = Http.request(serverA.port(), "GET", "/api/v1/totals/2025", "Authorization", BEARER);
        Http.Response b = Http.request(serverB.port(), "GET", "/api/v1/totals/2025", "authorization", "bearer " + TOKEN);
        assertThat(a.status()).isEqualTo(200);
        assertThat(b.status()).isEqualTo(200);
        assertThat(a.json()).isEqualTo(b.json());
        assertThat(a.json().path("totalUsd").asText()).isEqualTo(Money.format(janToNov));
        // One store holds the country's totals: the other instance fetched them from it, with the token.
        assertThat(a.header(QueryRouter.SERVED_BY)).isEqualTo(b.header(QueryRouter.SERVED_BY));
        Http.Response status = Http.request(serverB.port(), "GET", "/api/v1/status", "Authorization", BEARER);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("instances")).hasSize(2);
        assertThat(Http.request(serverA.port(), "GET", "/metrics", "Authorization", BEARER).body())
                .contains("export_counter_national_total_usd");
        assertThat(Http.request(serverB.port(), "GET", ServingServer.OPENAPI_PATH, "Authorization", BEARER).body())
                .isEqualTo(ApiContract.servedDocument());
    }

    @Test
    void the_events_stream_takes_the_token_as_access_token() throws Exception {
        try (SseReader sse = new SseReader(serverA.port(), "/api/v1/events?year=2025&access_token=" + TOKEN)) {
            assertThat(sse.awaitConnected()).isEqualTo(200);
        }
        try (SseReader sse = new SseReader(serverA.port(), "/api/v1/events?year=2025&access_token=wrong-token-0123456789")) {
            assertThat(sse.awaitConnected()).isEqualTo(401);
        }
    }

    @Test
    void health_and_the_dashboard_page_need_no_token() {
        Http.Response health = Http.get(serverA.port(), "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(Http.get(serverA.port(), "/").status()).isEqualTo(200);
        assertThat(Http.get(serverA.port(), "/assets/dashboard.js").status()).isEqualTo(200);
    }

    @Test
    void the_api_is_read_only_whatever_the_token() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/api/v1/totals/2025", "/", "/health", "/no/such/path")) {
                Http.Response r = Http.request(serverA.port(), method, path, "Authorization", BEARER);
                assertThat(r.status()).as(method + " " + path).isEqualTo(405);
                assertThat(r.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
                assertThat(r.json().path("error").asText()).contains("read-only");
            }
        }
        Http.Response head = Http.request(serverA.port(), "HEAD", "/api/v1/totals/2025", "Authorization", BEARER);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void the_dashboard_opened_with_the_token_in_the_fragment_shows_the_total_and_hides_the_token() {
        WebDriver driver = HeadlessChromium.start();
        try {
            // Without the token the page loads and says what it needs.
            driver.get("http://localhost:" + serverA.port() + "/");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    driver.findElement(By.id("status-line")).getText().contains("needs its API token"));

            // With it (added to the open page's address), the counter shows the year so far and the live stream connects.
            driver.get("http://localhost:" + serverA.port() + "/#token=" + TOKEN);
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        HeadlessChromium.counterCents(driver) == janToNov
                                && driver.findElement(By.id("live-text")).getText().equalsIgnoreCase("Live")
                                && driver.findElement(By.id("status-line")).getText().contains("Pipeline RUNNING"));
            } catch (ConditionTimeoutException e) {
                throw HeadlessChromium.diagnosed(driver, e);
            }
            // The token left the address bar (and so the history); a reload in the same tab keeps working.
            assertThat(driver.getCurrentUrl()).doesNotContain(TOKEN).doesNotContain("#");
            driver.navigate().refresh();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    HeadlessChromium.counterCents(driver) == janToNov);
            assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('export-counter.token')"))
                    .isEqualTo(TOKEN);
        } finally {
            driver.quit();
        }
    }

    private PipelineConfig config(Path stateDir) throws IOException {
        return PipelineConfig.defaults()
                .with("streams.bootstrap.servers", broker.bootstrapServers())
                .with("streams.application.id", "serving-auth-it")
                .with("streams.state.dir", Files.createDirectories(stateDir).toString())
                .with("topics.partitions", "4")
                .with("http.port", String.valueOf(freePort()))
                .with("http.advertised-host", "localhost")
                .with("http.auth.token", TOKEN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
