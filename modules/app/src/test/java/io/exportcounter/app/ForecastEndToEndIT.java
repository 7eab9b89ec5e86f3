package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Money;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaPerClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #16 end to end, as a user runs it: `export-counter pipeline` (with its HTTP API) and `export-counter notifier`
 * in JVMs of their own on a broker, `export-counter simulate` replaying 2025 in slices ({@code --until}, then
 * {@code --from}). The pipeline started counting this January (no year before it); the forecaster knows only the
 * history of earlier years. The simulator's 2025 crosses $700B at 1:03:27 p.m. on December 29.
 */
class ForecastEndToEndIT {
    private static final Logger log = LoggerFactory.getLogger(ForecastEndToEndIT.class);
    private static final Instant CROSSING = kst("2025-12-29T13:03:27");
    private static final String HEADS_UP_700B = "2025|NATIONAL|KR|700000000000|APPROACHING";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    private static final String DEC_15 = "2025-12-15T00:00:00";
    private static final String DEC_27 = "2025-12-27T00:00:00";
    private static final String DEC_29_9AM = "2025-12-29T09:00:00";
    private static final String DEC_29_NOON = "2025-12-29T12:00:00";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Long> totals = runningTotals(DEC_15, DEC_27, DEC_29_9AM, DEC_29_NOON);

    @Test
    @Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void a_replay_stopped_at_december_15_expects_700_billion_within_a_day_and_the_heads_up_comes_once_across_crashes(
            @TempDir Path dir) throws Exception {
        int httpPort = Cli.freePort();
        Path pipelineConfig = Files.writeString(dir.resolve("pipeline.properties"), String.join("\n",
                "streams.bootstrap.servers=" + broker.bootstrapServers(),
                "streams.application.id=forecast-e2e",
                "streams.state.dir=" + dir.resolve("state"),
                "forecast.min-interval.ms=1000",
                // A killed instance is noticed after the session timeout: the broker's minimum, as an operator with
                // fast failover would set it.
                "streams.session.timeout.ms=6000",
                "streams.heartbeat.interval.ms=1500",
                "http.port=" + httpPort, ""));
        Path outbox = dir.resolve("notices.jsonl");
        Path notifierConfig = Files.writeString(dir.resolve("notifier.properties"), String.join("\n",
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "kafka.group.id=forecast-e2e-notifier",
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000",
                "outbox.file=" + outbox, ""));
        Running running = new Running(dir, pipelineConfig, notifierConfig);
        try {
            // Given the pipeline and the notifier running
            running.start();

            // When 2025 is replayed up to December 15
            simulate(null, DEC_15);

            // Then the API's forecast of 2025, as of what was counted, expects $700B within a day of its crossing
            Forecast dec15 = forecastOnceCounted(httpPort, DEC_15);
            Forecast.ThresholdForecast t700 = threshold700(dec15);
            Duration error = Duration.between(CROSSING, t700.expectedAt().toInstant());
            log.info("Forecast as of {}: $700B expected {} ({} h from the crossing), range {} to {}, probability {}; year end {}",
                    dec15.asOf(), t700.expectedAt(), error.toMinutes() / 60.0, t700.range().earliest(),
                    t700.range().latest(), t700.probabilityThisYear(), dec15.projectedYearEndUsd());
            assertThat(error.abs()).isLessThanOrEqualTo(Duration.ofDays(1));
            assertThat(t700.probabilityThisYear()).isNotNull();

            // When the replay goes on to December 27, more than a day before $700B is expected...
            simulate(DEC_15, DEC_27);
            forecastOnceCounted(httpPort, DEC_27);
            // ...Then there is no heads-up for it yet
            assertThat(headsUps(outbox)).isEmpty();

            // When both are killed and started again, and the replay goes on to 9 a.m. on December 29
            running.killAndStartAgain();
            simulate(DEC_27, DEC_29_9AM);
            Forecast dec29 = forecastOnceCounted(httpPort, DEC_29_9AM);
            assertThat(threshold700(dec29).expectedAt().toInstant()).isBefore(dec29.asOf().toInstant().plus(Duration.ofHours(24)));

            // Then one heads-up for $700B arrives, in English and Korean, marked as an estimate
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> headsUps(outbox).size() == 1);
            JsonNode notice = headsUps(outbox).get(0);
            assertThat(notice.toString()).contains("expected to pass $700 billion").contains("This is an estimate")
                    .contains("이는 추정치이며 공식 발표가 아닙니다.");

            // When both are killed again, started again, and the replay goes on to noon, forecasts still expecting it
            running.killAndStartAgain();
            simulate(DEC_29_9AM, DEC_29_NOON);
            forecastOnceCounted(httpPort, DEC_29_NOON);

            // Then it stays the one heads-up
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20)).until(() -> headsUps(outbox).size() == 1);
        } finally {
            running.stop();
        }
    }

    /** The pipeline and the notifier, each in a JVM of its own, on their config files and state. */
    private static final class Running {
        private final Path dir;
        private final Path pipelineConfig;
        private final Path notifierConfig;
        private JvmProcess pipeline;
        private JvmProcess notifier;
        private int starts;

        Running(Path dir, Path pipelineConfig, Path notifierConfig) {
            this.dir = dir;
            this.pipelineConfig = pipelineConfig;
            this.notifierConfig = notifierConfig;
        }

        void start() {
            starts++;
            // The pipeline keeps the JIT's full optimisation: it counts a year.
            pipeline = JvmProcess.of(ExportCounterCli.class).directory(dir).logTo(dir.resolve("pipeline-" + starts + ".log"))
                    .args("pipeline", "--config", pipelineConfig.toString()).start();
            notifier = Cli.inOwnJvm(dir).logTo(dir.resolve("notifier-" + starts + ".log"))
                    .args("notifier", "--config", notifierConfig.toString()).start();
        }

        void killAndStartAgain() throws InterruptedException {
            pipeline.kill();
            notifier.kill();
            start();
        }

        void stop() throws InterruptedException {
            if (pipeline != null) {
                pipeline.close();
            }
            if (notifier != null) {
                notifier.close();
            }
        }
    }

    /** {@code export-counter simulate} of 2025 from {@code from} (KST, null: the start) to {@code until} (KST). */
    private static void simulate(String from, String until) {
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("simulate", "--year", "2025", "--no-progress",
                "--bootstrap-server", broker.bootstrapServers(), "--until", until + "+09:00"));
        if (from != null) {
            args.addAll(List.of("--from", from + "+09:00"));
        }
        Cli.Run run = Cli.run(Termination.manual(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        log.info("Replayed 2025 from {} to {} in {} s", from == null ? "the start" : from, until, (System.nanoTime() - t0) / 1_000_000_000);
    }

    /** The running total of the replayed 2025 (the simulator's defaults, as the command runs it) before each of {@code ends}. */
    private static Map<String, Long> runningTotals(String... ends) {
        long[] endSeconds = new long[ends.length];
        long[] sums = new long[ends.length];
        for (int i = 0; i < ends.length; i++) {
            endSeconds[i] = kst(ends[i]).getEpochSecond();
        }
        Iterator<SimEvent> events = DeclarationGenerator.events(SimulatorOptions.builder().year(2025).progress(false).build()).iterator();
        while (events.hasNext()) {
            SimEvent e = events.next();
            for (int i = 0; i < ends.length; i++) {
                if (e.epochSecond() < endSeconds[i]) {
                    sums[i] += e.usdDeltaCents();
                }
            }
        }
        Map<String, Long> totals = new TreeMap<>();
        for (int i = 0; i < ends.length; i++) {
            totals.put(ends[i], sums[i]);
        }
        return totals;
    }

    /** The API's forecast of 2025 once it counts everything accepted before {@code until} (KST). */
    private Forecast forecastOnceCounted(int httpPort, String until) {
        Instant end = kst(until);
        long counted = totals.get(until);
        URI uri = URI.create("http://localhost:" + httpPort + "/api/v1/forecast/2025");
        long t0 = System.nanoTime();
        Forecast f = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? ContractJson.instance().parseForecast(r.body()) : null;
        }, r -> r != null && Money.toCents(r.totalUsd()) == counted && r.asOf().toInstant().isBefore(end));
        log.info("The API's forecast counts up to {} after {} s more", until, (System.nanoTime() - t0) / 1_000_000_000);
        return f;
    }

    private static Forecast.ThresholdForecast threshold700(Forecast f) {
        return f.thresholds().stream().filter(t -> t.thresholdUsd().toPlainString().equals("700000000000.00"))
                .findFirst().orElseThrow(() -> new AssertionError("no $700B in " + f));
    }

    /** The outbox lines of the $700B heads-up of 2025. */
    private static List<JsonNode> headsUps(Path outbox) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(outbox)) {
                for (String line : Files.readAllLines(outbox, StandardCharsets.UTF_8)) {
                    JsonNode n = JSON.readTree(line);
                    if (HEADS_UP_700B.equals(n.path("occurrenceKey").asText())) {
                        out.add(n);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Instant kst(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+09:00").toInstant();
    }
}
