package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TestKafka;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Serving on a real broker with two pipeline instances (same application id, six partitions, own state
 * dirs and HTTP ports): a calibrated 2024 and 2025 are replayed, November with a live-events client
 * attached, December with the dashboard open in a headless Chromium. Then every endpoint must answer the
 * same from both instances, in agreement with the totals and milestones topics read with read_committed.
 * The tests share the cluster and run in order, each continuing the replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingIT {
    private static final ContractJson JSON = ContractJson.instance();

    private TestKafka broker;
    private PipelineConfig config;
    private PipelineRunner runnerA;
    private PipelineRunner runnerB;
    private ServingServer serverA;
    private ServingServer serverB;
    private KafkaProducer<String, String> producer;
    private final TradeYear y2024 = TradeYear.of2024(40, Mix.MARKET);
    private final TradeYear y2025 = TradeYear.of2025(60, Mix.MARKET);
    private boolean decemberProduced;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        broker = KafkaBackend.start();
        int portA = freePort();
        int portB = freePort();
        config = config(dir.resolve("a"), portA);
        // A first, serving before the second instance joins: its meters must live through that rebalance.
        runnerA = new PipelineRunner(config);
        serverA = ServingServer.start(runnerA);
        runnerA.start();
        assertThat(runnerA.awaitRunning(Duration.ofSeconds(60))).isTrue();
        runnerB = new PipelineRunner(config(dir.resolve("b"), portB));
        serverB = ServingServer.start(runnerB);
        runnerB.start();
        Runners.awaitGroupOfTwo(runnerA, runnerB);

        producer = KafkaTopics.producer(broker.bootstrapServers());
        TradeYear.send(producer, config.declarationsTopic(), y2024.declarations);
        TradeYear.send(producer, config.declarationsTopic(), y2025.months(1, 10));
        // Three records customs should never have sent: they are rejected, counted on /api/v1/status.
        producer.send(new ProducerRecord<>(config.declarationsTopic(), "43210-25-9999991X",
                "{\"declarationId\":\"43210-25-9999991X\",\"revision\":0,\"action\":\"ACCEPT\"}"));
        producer.send(new ProducerRecord<>(config.declarationsTopic(), "43210-25-9999992X", "not json"));
        producer.send(new ProducerRecord<>(config.declarationsTopic(), "43210-25-9999993X",
                y2025.declarations.get(0).json().replace("43210-25-0000001X", "43210-25-9999993X").replace("\"USD\"", "\"usd\"")));
        producer.flush();
        awaitNational(serverA, "2025", TradeYear.sum(y2025.months(1, 10)));
        awaitNational(serverA, "2024", TradeYear.usd("683.8B"));
    }

    @AfterAll
    void stopCluster() {
        for (AutoCloseable c : new AutoCloseable[] {producer, serverA, serverB, runnerA, runnerB, broker}) {
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
    @Order(1)
    void a_live_events_client_receives_totals_and_the_milestone_as_november_crosses_600_billion() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> serverB.liveEventsFollowing());
        try (SseReader sse = new SseReader(serverB.port(), "/api/v1/events")) {
            assertThat(sse.awaitConnected()).isEqualTo(200);

            TradeYear.send(producer, config.declarationsTopic(), y2025.month(11));

            long janToNov = TradeYear.sum(y2025.months(1, 11));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    sse.named("milestone").stream().anyMatch(e -> e.data().contains("\"2025|NATIONAL|KR|600000000000\""))
                            && sse.named("total").stream().map(e -> total(e.data())).anyMatch(t ->
                                    t.period().equals("2025") && t.dimension().name().equals("NATIONAL")
                                            && Money.toCents(t.totalUsd()) == janToNov));
            Milestone m600 = sse.named("milestone").stream().map(e -> milestone(e.data()))
                    .filter(m -> m.milestoneId().equals("2025|NATIONAL|KR|600000000000")).findFirst().orElseThrow();
            assertThat(m600.type()).isEqualTo(MilestoneType.CROSSED);
            assertThat(m600.crossedAtLocalTime()).matches("\\d{1,2}:\\d{2} [ap]\\.m\\.");
            assertThat(m600.crossedAt().getMonthValue()).isEqualTo(11);
            // Every total event is a contract Total; the national one only ever rose during November.
            List<Long> national = sse.named("total").stream().map(e -> total(e.data()))
                    .filter(t -> t.period().equals("2025") && t.dimension().name().equals("NATIONAL"))
                    .map(t -> Money.toCents(t.totalUsd())).toList();
            assertThat(national).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(sse.named("total").size()).isGreaterThan(national.size());
        }
    }

    @Test
    @Order(2)
    void the_dashboard_counts_up_live_and_announces_700_billion() throws Exception {
        WebDriver driver = HeadlessChromium.start();
        Thread december = null;
        try {
            // Given the dashboard showing the year so far
            driver.get("http://localhost:" + serverA.port() + "/");
            long janToNov = TradeYear.sum(y2025.months(1, 11));
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        HeadlessChromium.counterCents(driver) == janToNov && driver.findElement(By.id("live-text")).getText().equalsIgnoreCase("Live"));
            } catch (ConditionTimeoutException e) {
                throw HeadlessChromium.diagnosed(driver, e);
            }
            assertThat(driver.findElement(By.id("year-label")).getText()).isEqualTo("2025");

            // When December is replayed over about ten seconds
            december = new Thread(this::produceDecemberPaced, "december-replay");
            december.start();

            // Then the counter rises while declarations flow, several times
            List<Long> seen = new ArrayList<>();
            List<String> shown = new ArrayList<>();
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long c = HeadlessChromium.counterCents(driver);
                if (seen.isEmpty() || seen.get(seen.size() - 1) != c) {
                    seen.add(c);
                }
                String text = driver.findElement(By.id("total-dollars")).getText();
                if (shown.isEmpty() || !shown.get(shown.size() - 1).equals(text)) {
                    shown.add(text);
                }
                return c >= TradeYear.usd("700.0B");
            });
            assertThat(seen).hasSizeGreaterThanOrEqualTo(4).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(shown).hasSizeGreaterThanOrEqualTo(4);

            // And the banner announces the milestone with its time of day
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        driver.findElement(By.id("banner")).getAttribute("class").contains("show")
                                && driver.findElement(By.id("banner-title")).getText().contains("$700 billion"));
            } catch (ConditionTimeoutException e) {
                throw HeadlessChromium.diagnosed(driver, e);
            }
            assertThat(driver.findElement(By.id("banner-title")).getText()).isEqualTo("Korea's 2025 exports passed $700 billion");
            assertThat(driver.findElement(By.id("banner-sub")).getText())
                    .contains("1:03 p.m. on December 29, 2025 (KST)");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    driver.findElement(By.id("milestone-list")).getText().contains("1:03 p.m."));
            december.join(60_000);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> HeadlessChromium.counterCents(driver) == TradeYear.usd("709.7B"));
            Thread.sleep(1_500); // let the banner finish sliding in and the breakdowns refresh
            Path shots = Files.createDirectories(Path.of("target"));
            Files.write(shots.resolve("dashboard-milestone.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            ((JavascriptExecutor) driver).executeScript("document.getElementById('banner').classList.remove('show')");
            Thread.sleep(1_000);
            Files.write(shots.resolve("dashboard.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

            List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
            assertThat(errors).as("browser console errors").isEmpty();
        } finally {
            driver.quit();
            if (december != null) {
                december.join(60_000);
            }
        }
    }

    @Test
    @Order(3)
    void both_instances_answer_every_endpoint_the_same_and_as_the_topics_say() throws Exception {
        produceDecemberIfNeeded();
        awaitNational(serverA, "2025", TradeYear.usd("709.7B"));
        awaitNational(serverB, "2025", TradeYear.usd("709.7B"));

        // Identical answers from either instance
        List<String> paths = List.of("/api/v1/totals/2025", "/api/v1/totals/2024", "/api/v1/totals/2025-12",
                "/api/v1/totals/2025/CATEGORY", "/api/v1/totals/2025/region", "/api/v1/totals/2025/DESTINATION",
                "/api/v1/totals/2025/EXPORTER_SIZE", "/api/v1/totals/2025/NATIONAL", "/api/v1/totals/2025-06/CATEGORY",
                "/api/v1/totals/2025/REGION?throughMonth=11", "/api/v1/totals/2025/CATEGORY?throughMonth=12",
                "/api/v1/milestones?period=2025", "/api/v1/milestones?period=2025-12", "/api/v1/milestones",
                "/api/v1/periods", "/api/v1/monthly/2025", "/api/v1/thresholds", "/api/v1/totals/1999",
                "/api/v1/totals/2025/COLOR", "/api/v1/milestones?period=2025-Q3", "/api/v1/history/NATIONAL/KR",
                "/api/v1/history/exporter_size/sme", "/api/v1/history/CATEGORY/NO_SUCH_GROUP", "/api/v1/forecast/2025",
                "/api/v1/forecast/2025/category/semiconductors", "/api/v1/forecast/2025/REGION/ASEAN", "/api/v1/forecast/1999",
                "/health", "/", ServingServer.OPENAPI_PATH);
        // The last forecasts of the replay (one a second at most here) are in the store before both are asked.
        awaitForecastsSettled();
        Set<String> servedBy = new HashSet<>();
        for (String path : paths) {
            Http.Response a = Http.get(serverA.port(), path);
            Http.Response b = Http.get(serverB.port(), path);
            assertThat(a.status()).as(path).isEqualTo(b.status());
            assertThat(a.body()).as(path).isEqualTo(b.body());
            if ((path.startsWith("/api/v1/totals/") || path.startsWith("/api/v1/milestones") || path.startsWith("/api/v1/history/")
                    || path.startsWith("/api/v1/forecast/")) && a.status() != 400) {
                assertThat(a.header(QueryRouter.SERVED_BY)).as(path).isNotNull().isEqualTo(b.header(QueryRouter.SERVED_BY));
                assertThat(a.header(QueryRouter.STALE)).as(path).isNull();
                servedBy.add(a.header(QueryRouter.SERVED_BY));
            }
        }
        // One instance holds the stores, the other forwarded to it.
        assertThat(servedBy).hasSize(1).containsAnyOf(serverA.instance(), serverB.instance());
        // The rest of what an instance serves, each answer checked against the OpenAPI document (Http does),
        // and the document itself as it is in the jar.
        assertThat(Http.get(serverA.port(), StatusService.INSTANCE_PATH).json().path("instance").asText()).isEqualTo(serverA.instance());
        for (String asset : List.of("/assets/dashboard.css", "/assets/dashboard.js", "/assets/favicon.svg")) {
            assertThat(Http.get(serverB.port(), asset).status()).as(asset).isEqualTo(200);
        }
        // HEAD answers as GET does, without the body: a 404 where GET is one.
        assertThat(Http.request(serverA.port(), "HEAD", "/api/v1/totals/2025/CATEGORY").status()).isEqualTo(200);
        assertThat(Http.request(serverB.port(), "HEAD", "/api/v1/totals/1999").status()).isEqualTo(404);
        assertThat(Http.get(serverB.port(), ServingServer.OPENAPI_PATH).body()).isEqualTo(ApiContract.servedDocument());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                Http.get(serverA.port(), "/api/v1/status").body()).isEqualTo(Http.get(serverB.port(), "/api/v1/status").body()));
        JsonNode status = Http.get(serverA.port(), "/api/v1/status").json();
        assertThat(status.path("state").asText()).isEqualTo("RUNNING");
        assertThat(status.path("instances")).hasSize(2);
        assertThat(status.path("rejected").asLong()).isEqualTo(3);
        assertThat(status.path("waitingDeclarations").asLong()).isZero();
        assertThat(status.path("lag").path("topics").path(config.declarationsTopic()).asLong()).isZero();
        assertThat(status.path("totalsOwner").asText()).isEqualTo(servedBy.iterator().next());

        // Agreement with the totals topic, read as a committed consumer
        Map<String, Total> topic = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.totalsTopic())) {
            topic.put(r.key(), JSON.parseTotal(r.value()));
        }
        for (String period : List.of("2025", "2024", "2025-12", "2024-03")) {
            Total api = JSON.parseTotal(Http.get(serverB.port(), "/api/v1/totals/" + period).body().getBytes(StandardCharsets.UTF_8));
            assertThat(api).as(period).isEqualTo(topic.get(period + "|NATIONAL|KR"));
        }
        assertThat(Money.toCents(topic.get("2025|NATIONAL|KR").totalUsd())).isEqualTo(TradeYear.usd("709.7B"));
        for (String dimension : List.of("CATEGORY", "REGION", "DESTINATION", "EXPORTER_SIZE")) {
            Map<String, long[]> expected = sumTopic(topic, List.of("2025"), dimension);
            assertBreakdown(Http.get(serverA.port(), "/api/v1/totals/2025/" + dimension).json(), expected, dimension);
        }
        JsonNode regions = Http.get(serverB.port(), "/api/v1/totals/2025/REGION?throughMonth=11").json();
        assertBreakdown(regions, sumTopic(topic, months("2025", 11), "REGION"), "REGION Jan-Nov 2025");
        assertBreakdown(regions.path("previousYear"), sumTopic(topic, months("2024", 11), "REGION"), "REGION Jan-Nov 2024");
        assertThat(regions.path("previousYear").path("period").asText()).isEqualTo("2024");
        JsonNode monthly = Http.get(serverA.port(), "/api/v1/monthly/2025").json();
        for (int m = 1; m <= 12; m++) {
            String month = String.format("2025-%02d", m);
            assertThat(monthly.path("months").get(m - 1).path("totalUsd").asText()).as(month)
                    .isEqualTo(topic.get(month + "|NATIONAL|KR").totalUsd().toPlainString());
        }

        // Forecasts: the forecasts topic's latest record per key, for NATIONAL (the default) and a total with thresholds
        Map<String, Forecast> forecasts = latestForecasts();
        assertThat(forecasts).containsKeys("2025|NATIONAL|KR", "2025|CATEGORY|SEMICONDUCTORS");
        for (String[] q : new String[][] {{"/api/v1/forecast/2025", "2025|NATIONAL|KR"},
                {"/api/v1/forecast/2025/CATEGORY/SEMICONDUCTORS", "2025|CATEGORY|SEMICONDUCTORS"}}) {
            for (ServingServer server : List.of(serverA, serverB)) {
                Forecast api = JSON.parseForecast(Http.get(server.port(), q[0]).body().getBytes(StandardCharsets.UTF_8));
                assertThat(api).as(q[0]).isEqualTo(forecasts.get(q[1]));
            }
        }
        Forecast national = forecasts.get("2025|NATIONAL|KR");
        assertThat(national.totalUsd()).isEqualTo(topic.get("2025|NATIONAL|KR").totalUsd());
        // $800B is the only national threshold not crossed in 2025; the crossed ones are left out
        assertThat(national.thresholds()).extracting(Forecast.ThresholdForecast::thresholdUsd)
                .containsExactly(new BigDecimal("800000000000.00"));
        assertThat(Http.get(serverA.port(), "/api/v1/forecast/1999").status()).isEqualTo(404);

        // Milestones in force: the milestones topic's latest event per id, CROSSED, oldest first
        Map<String, Milestone> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.milestonesTopic())) {
            latest.put(r.key(), JSON.parseMilestone(r.value()));
        }
        List<String> expectedIds = latest.values().stream()
                .filter(m -> m.type() == MilestoneType.CROSSED && m.period().startsWith("2025"))
                .sorted(Comparator.comparing((Milestone m) -> m.crossedAt().toInstant()).thenComparing(Milestone::thresholdUsd))
                .map(Milestone::milestoneId).toList();
        JsonNode inForce = Http.get(serverA.port(), "/api/v1/milestones?period=2025").json().path("milestones");
        List<String> ids = new ArrayList<>();
        inForce.forEach(m -> ids.add(m.path("milestoneId").asText()));
        assertThat(ids).isEqualTo(expectedIds).contains("2025|NATIONAL|KR|700000000000", "2025|CATEGORY|SEMICONDUCTORS|150000000000");
        for (JsonNode m : inForce) {
            Milestone parsed = JSON.parseMilestone(Http.MAPPER.writeValueAsBytes(m));
            assertThat(parsed).isEqualTo(latest.get(parsed.milestoneId()));
        }
        // The history records compare with: the years and months counted here replace the published figures.
        JsonNode history = Http.get(serverB.port(), "/api/v1/history/NATIONAL/KR").json();
        assertThat(history.path("dimension").asText()).isEqualTo("NATIONAL");
        assertThat(history.path("member").asText()).isEqualTo("KR");
        assertThat(history.path("since").asInt()).isLessThanOrEqualTo(2024);
        Map<String, JsonNode> figures = new HashMap<>();
        for (String list : List.of("years", "months", "yearsToDate")) {
            for (JsonNode f : history.path(list)) {
                assertThat(f.path("source").asText()).as("%s %s", list, f).isNotBlank();
                assertThat(figures.put(f.path("period").asText(), f)).as("%s listed once", f.path("period")).isNull();
            }
        }
        List<String> countedPeriods = new ArrayList<>(List.of("2024", "2025"));
        countedPeriods.addAll(months("2024", 12));
        countedPeriods.addAll(months("2025", 12));
        for (String period : countedPeriods) {
            JsonNode f = figures.get(period);
            assertThat(f).as(period).isNotNull();
            assertThat(f.path("counted").asBoolean()).as(period).isTrue();
            assertThat(f.path("source").asText()).as(period).isEqualTo("counted by the pipeline");
            Total t = topic.get(period + "|NATIONAL|KR");
            assertThat(f.path("totalUsd").asText()).as(period).isEqualTo(t.totalUsd().toPlainString());
            assertThat(f.path("declarations").asLong()).as(period).isEqualTo(t.declarations());
        }
        // 2024 was counted through a declaration of 2025: its four quarters closed, and so did 2025's first three.
        assertThat(figures.get("2024-Q4").path("totalUsd").asText()).isEqualTo(topic.get("2024|NATIONAL|KR").totalUsd().toPlainString());
        assertThat(figures.get("2025-Q3").path("counted").asBoolean()).isTrue();
        assertThat(history.path("records")).extracting(JsonNode::asText).contains("ANNUAL_RECORD", "CALENDAR_MONTH_RECORD");
        history.path("years").forEach(f -> {
            if (!f.path("counted").asBoolean()) {
                assertThat(f.path("period").asInt()).isLessThan(2024);
            }
        });

        Milestone m700 = latest.get("2025|NATIONAL|KR|700000000000");
        assertThat(m700.crossedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(m700.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
    }

    @Test
    @Order(4)
    void metrics_are_prometheus_text_with_the_pipelines_meters() {
        produceDecemberIfNeeded();
        Map<String, Double> total = new HashMap<>();
        for (ServingServer server : List.of(serverA, serverB)) {
            // The national-total gauge follows the totals topic; give it a moment after the replay.
            await().atMost(Duration.ofSeconds(20)).until(() -> scrape(server)
                    .getOrDefault("export_counter_national_total_usd{country=\"KR\"}", 0.0) == 7.097e11);
            Http.Response r = Http.get(server.port(), "/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            Map<String, Double> samples = parsePrometheus(r.body());
            samples.forEach((k, v) -> total.merge(k, v, Double::sum));
            assertThat(samples).containsEntry("export_counter_national_total_year{country=\"KR\"}", 2025.0);
            assertThat(samples.keySet()).anyMatch(k -> k.startsWith("kafka_stream_"))
                    .anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                    .anyMatch(k -> k.startsWith("jvm_gc_"))
                    .anyMatch(k -> k.startsWith("process_cpu_usage"))
                    .anyMatch(k -> k.startsWith("process_uptime_seconds"))
                    .anyMatch(k -> k.startsWith("http_server_requests_seconds_count{"))
                    .contains("export_counter_declarations_waiting", "export_counter_entries_held", "export_counter_live_clients",
                            "export_counter_live_clients_dropped_total",
                            "export_counter_milestones_emitted_total{kind=\"MONTHLY_RECORD\",type=\"RETRACTED\"}");
            samples.forEach((k, v) -> {
                if (k.startsWith("export_counter_")) {
                    assertThat(v).as(k).isNotNaN();
                }
            });
        }
        long declarations = y2024.declarations.size() + y2025.declarations.size();
        // Exactly-once processing can replay an aborted transaction: counters never undercount.
        assertThat(total.get("export_counter_declarations_total{outcome=\"counted\"}")).isGreaterThanOrEqualTo(declarations);
        assertThat(total.get("export_counter_declarations_total{outcome=\"rejected\"}")).isGreaterThanOrEqualTo(3);
        assertThat(total.get("export_counter_milestones_emitted_total{kind=\"THRESHOLD\",type=\"CROSSED\"}"))
                .isGreaterThanOrEqualTo(7 + 6 + 3); // 2025 to $700B, 2024 to $600B, semiconductors
        assertThat(total.get("export_counter_counting_delay_seconds_count")).isGreaterThanOrEqualTo(declarations);
        assertThat(total.get("export_counter_counting_delay_seconds_bucket{le=\"+Inf\"}")).isGreaterThanOrEqualTo(declarations);
        assertThat(total).containsKey("export_counter_counting_delay_seconds_bucket{le=\"1.0\"}");
        // A replay of last year is counted about a year after acceptance: the sum must not overflow.
        long now = System.currentTimeMillis() / 1000;
        double meanAge = java.util.stream.Stream.concat(y2024.declarations.stream(), y2025.declarations.stream())
                .mapToLong(d -> now - d.acceptedAt().toEpochSecond()).average().orElseThrow();
        assertThat(total.get("export_counter_counting_delay_seconds_sum") / total.get("export_counter_counting_delay_seconds_count"))
                .isBetween(meanAge * 0.95, meanAge * 1.01);
    }

    @Test
    @Order(5)
    void bad_requests_get_400_json_unknown_periods_404_and_never_a_stack_trace() throws IOException {
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("/api/v1/totals/20x5", 400);
        cases.put("/api/v1/totals/2025-13", 400);
        cases.put("/api/v1/totals/2025/COLOR", 400);
        cases.put("/api/v1/totals/2025-11/CATEGORY?throughMonth=3", 400);
        cases.put("/api/v1/totals/2025/CATEGORY?throughMonth=13", 400);
        cases.put("/api/v1/totals/2025/CATEGORY?throughMonth=x", 400);
        cases.put("/api/v1/totals/2025/CATEGORY?throughMonth=1&throughMonth=2", 400);
        cases.put("/api/v1/milestones?period=last-year", 400);
        cases.put("/api/v1/milestones?period=2025-Q5", 400);
        cases.put("/api/v1/history/COLOR/KR", 400);
        cases.put("/api/v1/history/NATIONAL/K%20R", 400);
        cases.put("/api/v1/history/DESTINATION/ZZ", 404);
        cases.put("/api/v1/monthly/25", 400);
        cases.put("/api/v1/forecast/20x5", 400);
        cases.put("/api/v1/forecast/2025/COLOR/KR", 400);
        cases.put("/api/v1/forecast/2025/NATIONAL/K%20R", 400);
        cases.put("/api/v1/forecast/1999", 404);
        cases.put("/api/v1/forecast/2025/DESTINATION/ZZ", 404);
        cases.put("/api/v1/events?dimension=SIZE", 400);
        cases.put("/api/v1/totals/1999", 404);
        cases.put("/api/v1/totals/2031-01/CATEGORY", 404);
        cases.put("/api/v1/totals/1999/REGION?throughMonth=5", 404);
        cases.put("/api/v1/monthly/1999", 404);
        cases.put("/api/v1/nothing-here", 404);
        cases.put("/assets/passwd", 404);
        for (var c : cases.entrySet()) {
            for (ServingServer server : List.of(serverA, serverB)) {
                Http.Response r = Http.get(server.port(), c.getKey());
                assertThat(r.status()).as(c.getKey()).isEqualTo(c.getValue());
                assertThat(r.header("Content-Type")).as(c.getKey()).startsWith("application/json");
                assertThat(r.json().path("error").asText()).as(c.getKey()).isNotBlank();
                assertNoInternals(c.getKey(), r.body());
            }
        }
        assertThat(Http.get(serverA.port(), "/api/v1/totals/2025/COLOR").json().path("error").asText())
                .contains("dimension").contains("COLOR");
        // Malformed requests that never reach a route: Jetty's answer, in the same format.
        for (String target : List.of("/api/v1/totals/%ZZ", "/api/v1/totals/2025%", "/%00", "/assets/../../etc/passwd")) {
            String raw = Http.raw(serverA.port(), target);
            assertThat(raw).as(target).startsWith("HTTP/1.1 4");
            assertNoInternals(target, raw);
        }
        assertThat(Http.get(serverA.port(), "/health").status()).isEqualTo(200);
        assertThat(Http.get(serverB.port(), "/health").json().path("status").asText()).isEqualTo("UP");
    }

    // ------------------------------------------------------------------ helpers

    private PipelineConfig config(Path dir, int httpPort) throws IOException {
        return PipelineConfig.defaults()
                .with("streams.bootstrap.servers", broker.bootstrapServers())
                .with("streams.application.id", "serving-it")
                .with("streams.state.dir", Files.createDirectories(dir).toString())
                .with("topics.partitions", "6")
                .with("http.port", String.valueOf(httpPort))
                .with("http.advertised-host", "localhost")
                .with("milestones.thresholds.NATIONAL.KR", "100B,200B,300B,400B,500B,600B,700B,800B")
                .with("milestones.thresholds.CATEGORY.SEMICONDUCTORS", "100B,150B,200B")
                // The replay takes seconds: a forecast a second at most, so the last one follows it closely.
                .with("forecast.min-interval.ms", "1000");
    }

    /** The latest forecast per key on the forecasts topic, read as a committed consumer. */
    private Map<String, Forecast> latestForecasts() {
        Map<String, Forecast> latest = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.forecastsTopic())) {
            try {
                latest.put(r.key(), JSON.parseForecast(r.value()));
            } catch (Exception e) {
                throw new AssertionError("not a contract Forecast: " + r.key(), e);
            }
        }
        return latest;
    }

    /** Until no forecast has been written for two seconds and the API answers the latest national one. */
    private void awaitForecastsSettled() {
        java.util.concurrent.atomic.AtomicReference<Map<String, Forecast>> previous = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Map<String, Forecast> now = latestForecasts();
            boolean settled = now.equals(previous.getAndSet(now)) && now.containsKey("2025|NATIONAL|KR");
            return settled && Http.get(serverA.port(), "/api/v1/forecast/2025").status() == 200;
        });
    }

    private synchronized void produceDecemberIfNeeded() {
        if (!decemberProduced) {
            produceDecember(0);
        }
    }

    /** December in slices over about ten seconds, as a live day would come in. */
    private synchronized void produceDecemberPaced() {
        produceDecember(420);
    }

    /**
     * December, in slices {@code pauseMs} apart. Which declaration crosses $700B is defined by the order
     * stage 2 applies entries (docs/architecture.md): so that it is the one of 1:03 p.m., everything
     * before it is counted first and it goes alone.
     */
    private void produceDecember(long pauseMs) {
        List<TradeYear.Declared> december = y2025.month(12);
        long before = TradeYear.sum(y2025.months(1, 11));
        int crossing = 0;
        while (before + december.get(crossing).cents() < TradeYear.usd("700.0B")) {
            before += december.get(crossing).cents();
            crossing++;
        }
        produceSliced(december.subList(0, crossing), 18, pauseMs);
        awaitNational(serverA, "2025", before);
        produceSliced(december.subList(crossing, crossing + 1), 1, pauseMs);
        produceSliced(december.subList(crossing + 1, december.size()), 5, pauseMs);
        decemberProduced = true;
    }

    private void produceSliced(List<TradeYear.Declared> ds, int slices, long pauseMs) {
        for (int s = 0; s < slices; s++) {
            TradeYear.send(producer, config.declarationsTopic(), ds.subList(s * ds.size() / slices, (s + 1) * ds.size() / slices));
            if (pauseMs > 0) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void awaitNational(ServingServer server, String period, long cents) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Http.Response r = Http.get(server.port(), "/api/v1/totals/" + period);
            return r.status() == 200 && Money.toCents(new BigDecimal(r.json().path("totalUsd").asText())) == cents;
        });
    }

    private static List<String> months(String year, int through) {
        List<String> out = new ArrayList<>();
        for (int m = 1; m <= through; m++) {
            out.add(String.format("%s-%02d", year, m));
        }
        return out;
    }

    /** Per member: cents and declarations summed over the periods, from the totals topic. */
    private static Map<String, long[]> sumTopic(Map<String, Total> topic, List<String> periods, String dimension) {
        Map<String, long[]> out = new TreeMap<>();
        for (String period : periods) {
            String prefix = period + "|" + dimension + "|";
            topic.forEach((k, t) -> {
                if (k.startsWith(prefix) && (t.totalUsd().signum() != 0 || t.declarations() != 0)) {
                    long[] acc = out.computeIfAbsent(t.member(), x -> new long[2]);
                    acc[0] += Money.toCents(t.totalUsd());
                    acc[1] += t.declarations();
                }
            });
        }
        return out;
    }

    private static void assertBreakdown(JsonNode answer, Map<String, long[]> expected, String what) {
        long total = expected.values().stream().mapToLong(v -> v[0]).sum();
        assertThat(Money.toCents(new BigDecimal(answer.path("totalUsd").asText()))).as(what).isEqualTo(total);
        List<String> members = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode m : answer.path("members")) {
            String member = m.path("member").asText();
            members.add(member);
            long[] e = expected.get(member);
            assertThat(e).as("%s %s", what, member).isNotNull();
            long cents = Money.toCents(new BigDecimal(m.path("totalUsd").asText()));
            assertThat(cents).as("%s %s", what, member).isEqualTo(e[0]).isLessThanOrEqualTo(previous);
            previous = cents;
            assertThat(m.path("declarations").asLong()).as("%s %s", what, member).isEqualTo(e[1]);
            String share = BigDecimal.valueOf(e[0]).multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP).toPlainString();
            assertThat(m.path("share").asText()).as("%s %s share", what, member).isEqualTo(share);
        }
        assertThat(members).as(what).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    private static void assertNoInternals(String what, String body) {
        assertThat(body).as(what).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.")
                .doesNotContain("at org.").doesNotContain("java.").doesNotContain("<html");
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?$");

    /** Parses the Prometheus text format strictly: every line a comment or a well-formed sample, each series once. */
    static Map<String, Double> parsePrometheus(String text) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("# TYPE ")) {
                    String family = line.split(" ")[2];
                    assertThat(typed.add(family)).as("TYPE of %s given once", family).isTrue();
                    assertThat(line.split(" ")[3]).isIn("counter", "gauge", "histogram", "summary", "untyped");
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("Prometheus sample line: %s", line).isTrue();
            String series = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            String v = m.group(3);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY
                    : Double.parseDouble(v);
            assertThat(samples.put(series, value)).as("series %s given once", series).isNull();
        }
        return samples;
    }

    private static Map<String, Double> scrape(ServingServer server) {
        return parsePrometheus(Http.get(server.port(), "/metrics").body());
    }

    private static Total total(String json) {
        try {
            return JSON.parseTotal(json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a contract Total: " + json, e);
        }
    }

    private static Milestone milestone(String json) {
        try {
            return JSON.parseMilestone(json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a contract Milestone: " + json, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
