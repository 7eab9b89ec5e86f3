package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager channel against a real Alertmanager (Debian's {@code prometheus-alertmanager}, 0.25, started
 * as a process on a free port of 127.0.0.1 with a null receiver and no clustering), with the notifier on a real
 * broker. Skipped where the binary is not installed.
 */
class AlertmanagerDeliveryIT {
    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENERATOR = "http://export-counter.test:8080";

    @TempDir
    Path dir;
    private Process alertmanager;
    private Path alertmanagerLog;
    private URI alertmanagerUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startAlertmanager() throws Exception {
        assumeTrue(Files.isExecutable(BINARY),
                BINARY + " is not installed (apt-get install prometheus-alertmanager): the real-Alertmanager test is skipped");
        Path config = dir.resolve("alertmanager.yml");
        // Every alert goes to a receiver that sends nothing: the test reads the alerts back from the API.
        Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        int port = freePort();
        alertmanagerLog = dir.resolve("alertmanager.log");
        alertmanager = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--cluster.listen-address=",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(alertmanagerLog.toFile())
                .start();
        alertmanagerUrl = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(alertmanager.isAlive()).as("Alertmanager running; its log:\n%s", log()).isTrue();
            return status("/-/ready") == 200;
        });
    }

    @AfterEach
    void stopAlertmanager() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void a_crossing_fires_one_alert_per_milestone_and_its_retraction_resolves_that_alert() throws Exception {
        // Given a notifier posting to the real Alertmanager
        NotifierConfig config = config("am-resolve");
        Milestone k700 = Milestones.korea700BDetectedNow();
        Milestone k800 = Milestones.threshold("2025", k700.dimension(), "KR", "800000000000.00", "800000000100.00",
                "2025-12-30T10:00:00+09:00", Instant.now());
        Notices notices = Notices.load(config);

        try (Notifier notifier = new Notifier(config).start()) {
            // When two milestones are crossed
            SharedBroker.produce(config.milestonesTopic(), k700);
            SharedBroker.produce(config.milestonesTopic(), k800);
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 2);

            // Then Alertmanager holds two active alerts, one per milestone, with their labels and notices
            List<JsonNode> active = alerts();
            assertThat(active).extracting(a -> a.get("labels").get("milestone_id").asText())
                    .containsExactlyInAnyOrder(k700.milestoneId(), k800.milestoneId());
            JsonNode alert = alertOf(active, k700);
            assertThat(stringMap(alert.get("labels"))).containsExactlyInAnyOrderEntriesOf(Milestones.korea700BAlertLabels());
            Notice notice = notices.write(k700);
            assertThat(stringMap(alert.get("annotations"))).containsOnly(
                    entry("summary", "[Export Counter] Korea's exports pass $700 billion (1:03 p.m., Dec 29, 2025 KST)"),
                    entry("description", notice.en()),
                    entry("description_ko", notice.ko()));
            assertThat(alert.get("annotations").get("description_ko").asText())
                    .isEqualTo("2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.");
            assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(sent(k700).detectedAt());
            assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
            assertThat(alert.get("generatorURL").asText()).isEqualTo(GENERATOR + "/api/v1/milestones?period=2025");
            // Not ended: its end is Alertmanager's resolve_timeout from now
            assertThat(Instant.parse(alert.get("endsAt").asText())).isAfter(Instant.now());

            // When the first is retracted
            Milestone retracted = Milestones.retracted(k700, "699987654321.00", "2025-12-30T11:00:00+09:00", Instant.now());
            SharedBroker.produce(config.milestonesTopic(), retracted);
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 3);

            // Then its alert is resolved and the other stays active. Alertmanager 0.25's GET /api/v2/alerts lists
            // only alerts that have not ended (it has no filter for resolved ones): without the resolve, the
            // alert would stay listed for its 5 minutes of resolve_timeout.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alerts())
                    .extracting(a -> a.get("labels").get("milestone_id").asText())
                    .containsExactly(k800.milestoneId()));
            // Alertmanager received each alert once: two firing posts and one resolved, no repeats
            assertThat(receivedAlerts("firing")).isEqualTo(2);
            assertThat(receivedAlerts("resolved")).isEqualTo(1);

            // And each occurrence is recorded once under <occurrence key>|alertmanager, nothing dead-lettered
            assertThat(SharedBroker.readAll(config.deliveredTopic())).extracting(ConsumerRecord::key).containsExactly(
                    key(k700, notices) + "|alertmanager", key(k800, notices) + "|alertmanager",
                    key(retracted, notices) + "|alertmanager");
            assertThat(SharedBroker.readAll(config.deadLetterTopic())).isEmpty();
        }
    }

    private NotifierConfig config(String prefix) {
        Properties p = SharedBroker.notifierProperties(prefix, dir);
        p.setProperty("outbox.enabled", "false");
        p.setProperty("alertmanager.url", alertmanagerUrl.toString());
        p.setProperty("alertmanager.generator-url", GENERATOR);
        return NotifierConfig.fromProperties(p);
    }

    /** The alerts Alertmanager lists now ({@code GET /api/v2/alerts}). */
    private List<JsonNode> alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v2/alerts");
        assertThat(r.statusCode()).as("GET /api/v2/alerts: %s", r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    /** Alertmanager's count of alerts received on the v2 API with {@code status} (firing, resolved). */
    private long receivedAlerts(String status) throws IOException, InterruptedException {
        String metrics = get("/metrics").body();
        Matcher m = Pattern.compile("^alertmanager_alerts_received_total\\{status=\"" + status + "\",version=\"v2\"} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("alertmanager_alerts_received_total{status=%s} in /metrics", status).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static JsonNode alertOf(List<JsonNode> alerts, Milestone m) {
        return alerts.stream().filter(a -> a.get("labels").get("milestone_id").asText().equals(m.milestoneId()))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The milestone as the notifier reads it from the topic (detectedAt to the millisecond). */
    private static Milestone sent(Milestone m) throws Exception {
        return ContractJson.instance().parseMilestone(ContractJson.instance().write(m));
    }

    private static String key(Milestone m, Notices notices) throws Exception {
        Milestone read = sent(m);
        return Delivery.of(read, notices.write(read)).occurrenceKey();
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(alertmanagerUrl.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String log() {
        try {
            return Files.readString(alertmanagerLog);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
