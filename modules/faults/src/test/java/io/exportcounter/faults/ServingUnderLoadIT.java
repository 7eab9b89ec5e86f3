package io.exportcounter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.serving.ServingServer;
import io.exportcounter.simulator.Calibration;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimulatorOptions;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load on the serving side while counting (issue #17): one pipeline instance with its HTTP API, on a three-broker
 * cluster, counts a calibrated simulated year while it serves a thousand live-events (SSE) clients, a sustained
 * request load from {@code wrk}, and one client that connects and never reads. The year must be counted to the cent
 * with the $700B milestone naming the planned declaration, every client must receive the year's final national total
 * and that milestone, the serving JVM's heap and threads must not grow with the clients, and the stuck client must be
 * dropped without holding the others back.
 *
 * <p>Full suite only ({@code -Dfaults.full=true}): too long for CI. Sizes: {@code -Dserving.load.declarations}
 * ({@value #DEFAULT_DECLARATIONS}), {@code -Dserving.load.clients} ({@value #DEFAULT_CLIENTS}); the same year is first
 * counted without load for comparison unless {@code -Dserving.load.baseline=false}.
 */
@EnabledIfSystemProperty(named = "faults.full", matches = "true")
class ServingUnderLoadIT {
    private static final Logger log = LoggerFactory.getLogger(ServingUnderLoadIT.class);
    static final int DEFAULT_DECLARATIONS = 200_000;
    static final int DEFAULT_CLIENTS = 1_000;
    private static final int DECLARATIONS = Integer.getInteger("serving.load.declarations", DEFAULT_DECLARATIONS);
    private static final int CLIENTS = Integer.getInteger("serving.load.clients", DEFAULT_CLIENTS);
    private static final boolean BASELINE = Boolean.parseBoolean(System.getProperty("serving.load.baseline", "true"));
    private static final long SEED = 17;
    private static final String NATIONAL_2025 = "2025|NATIONAL|KR";
    private static final String MILESTONE_700B = "2025|NATIONAL|KR|700000000000";
    /** What the dashboard asks for (dashboard.js), so each client costs the server what an operations-center screen does. */
    private static final String EVENTS = "/api/v1/events?year=2025&dimension=NATIONAL,CATEGORY,REGION";
    /** Every total and milestone: what the stuck client asks for, the most a client can be sent. */
    private static final String ALL_EVENTS = "/api/v1/events";
    /** The request load: wrk connections, each pausing this long between requests (about 800 requests/s at most). */
    private static final int WRK_CONNECTIONS = 16;
    private static final int WRK_PAUSE_MS = 20;
    /** The bounds the serving JVM must stay within, whatever the number of clients. */
    private static final long HEAP_BYTES_PER_CLIENT = 128 * 1024;
    /**
     * Under load the heap also holds what the pipeline keeps while counting, measured halfway through the same year
     * counted without load, plus what that run cannot pin down: the stores' record cache
     * ({@code statestore.cache.max.bytes}, 64 MiB), which holds more or less depending on where a commit falls.
     */
    private static final long HEAP_COUNTING_VARIANCE = 64L << 20;
    /**
     * Threads beyond those of the idle instance: Jetty's request pool (Javalin's default, at most 250, idle ones
     * ending after 60 s), the 16 live-events senders and a few for the test's own clients; not one per client.
     */
    private static final int EXTRA_THREADS = 250 + 16 + 16;
    /** Lines of the heap's class histogram a failed heap bound shows: what held the heap then. */
    private static final int HISTOGRAM_LINES = 25;
    /** How long after the first client any other client may get the $700B milestone. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    @RegisterExtension
    static final KafkaPerClass kafka = KafkaPerClass.cluster(3);

    /** One year's figures, as the simulator plans them. */
    private record Year(SimulatorOptions options, long annualCents) {
    }

    @Test
    void one_instance_counts_a_year_to_the_cent_while_serving_a_thousand_live_clients_a_request_load_and_a_stuck_client(
            @TempDir Path dir) throws Throwable {
        ScenarioReport report = new ScenarioReport("7-serving-load",
                "7. Load on the serving side while counting: " + String.format("%,d", CLIENTS)
                        + " live-events clients, a request load and a stuck client");
        try {
            SimulatorOptions options = SimulatorOptions.builder().declarations(DECLARATIONS).seed(SEED).progress(false).build();
            Year year = new Year(options, Calibration.of(options).annualCents());
            report.did(String.format("Simulated 2025 (seed %d): %,d declarations calibrated to %s, with the year's amendments,"
                    + " withdrawals, redeliveries and malformed records, produced as fast as the cluster takes them to a"
                    + " three-broker cluster (replication 3, min ISR 2) and counted by one pipeline instance with its HTTP"
                    + " API in the test JVM.", SEED, DECLARATIONS, usd(year.annualCents())));

            Quiet withoutLoad = null;
            if (BASELINE) {
                // Given the same year counted without load, for comparison
                withoutLoad = countWithoutLoad(year, dir);
                report.figure("time to count the year without load", seconds(withoutLoad.took()));
                report.figure("heap used after full GC halfway through the year, without load", mib(withoutLoad.heapHalfway()));
            }
            underLoad(year, dir, report, withoutLoad);
        } catch (Throwable t) {
            report.failed(t);
            throw t;
        } finally {
            report.write();
        }
    }

    /** The year counted without load: how long it took, and the heap after a full GC halfway through it. */
    private record Quiet(Duration took, long heapHalfway) {
    }

    private Quiet countWithoutLoad(Year year, Path dir) throws Exception {
        PipelineConfig config = config("serving-load-quiet", dir);
        PipelineRunner.createMissingTopics(config);
        try (PipelineRunner runner = new PipelineRunner(config);
                ServingServer server = ServingServer.start(runner);
                NationalTotal national = new NationalTotal(config.totalsTopic())) {
            runner.start();
            assertThat(runner.awaitRunning(Duration.ofMinutes(1))).as("the pipeline runs").isTrue();
            long started = System.nanoTime();
            Producing producing = Producing.start(config, year.options());
            JvmFigures jvm = new JvmFigures();
            AtomicLong heapHalfway = new AtomicLong();
            awaitCounted(year, national, runner, producing, () -> {
                if (heapHalfway.get() == 0 && national.cents() >= year.annualCents() / 2) {
                    heapHalfway.set(jvm.heapAfterFullGc());
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            log.info("Counted the year without load in {}", seconds(took));
            return new Quiet(took, heapHalfway.get() == 0 ? jvm.heapAfterFullGc() : heapHalfway.get());
        }
    }

    private void underLoad(Year year, Path dir, ScenarioReport report, Quiet withoutLoad) throws Exception {
        boolean wrk = ServingRequestLoad.available();
        PipelineConfig config = config("serving-load", dir);
        PipelineRunner.createMissingTopics(config);
        JvmFigures jvm = new JvmFigures();
        try (PipelineRunner runner = new PipelineRunner(config);
                ServingServer server = ServingServer.start(runner);
                NationalTotal national = new NationalTotal(config.totalsTopic())) {
            runner.start();
            assertThat(runner.awaitRunning(Duration.ofMinutes(1))).as("the pipeline runs").isTrue();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            long idleHeap = jvm.heapAfterFullGc();
            int idleThreads = jvm.threads();

            // Given a client that connects and never reads, and a thousand that read as browsers do
            try (Socket stuck = SseClients.stalled(address, ALL_EVENTS);
                    SseClients unfiltered = new SseClients(address, ALL_EVENTS, NATIONAL_2025, MILESTONE_700B);
                    SseClients clients = new SseClients(address, EVENTS, NATIONAL_2025, MILESTONE_700B)) {
                long stuckAt = System.currentTimeMillis();
                unfiltered.open(1);
                for (int opened = 0; opened < CLIENTS; opened += 100) {
                    clients.open(Math.min(100, CLIENTS - opened));
                    Thread.sleep(50);
                }
                await("every live-events client connected").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> clients.connected() == CLIENTS && unfiltered.connected() == 1);
                await("the server counts them").atMost(Duration.ofSeconds(10))
                        .until(() -> metric(http, base, "export_counter_live_clients") == CLIENTS + 2);
                long connectedHeap = jvm.heapAfterFullGc();
                int connectedThreads = jvm.threads();
                report.did(String.format("Connected %,d live-events clients (one selector thread in the test JVM, each a"
                        + " plain HTTP/1.1 connection asking what the dashboard asks: %s), one reading every event (%s), and"
                        + " one that asks for every event and never reads (a raw socket with a 4 KiB receive buffer).",
                        CLIENTS, EVENTS, ALL_EVENTS));

                // When the year is produced and counted while they listen and wrk asks the API
                long started = System.nanoTime();
                Producing producing = Producing.start(config, year.options());
                await("the first national total reaches the clients").atMost(Duration.ofMinutes(2))
                        .until(() -> clients.snapshot().stream().anyMatch(c -> c.watchedTotalCents >= 0));
                ServingRequestLoad load = null;
                if (wrk) {
                    load = ServingRequestLoad.start(base, Duration.ofMinutes(15), WRK_CONNECTIONS, WRK_PAUSE_MS,
                            Path.of("target", "faults", "serving-load"));
                    report.did(String.format("Started Debian's wrk (2 threads, %d connections, %d ms pause between a"
                                    + " connection's requests) on %s, in turn, from the first counted total until the year"
                                    + " was counted.", WRK_CONNECTIONS, WRK_PAUSE_MS, String.join(", ", ServingRequestLoad.PATHS)));
                } else {
                    report.did("No request load: /usr/bin/wrk is absent (apt-get install wrk).");
                }
                AtomicLong droppedAt = new AtomicLong();
                AtomicLong heapUnderLoad = new AtomicLong();
                AtomicReference<String> heldUnderLoad = new AtomicReference<>("");
                long halfway = year.annualCents() / 2;
                awaitCounted(year, national, runner, producing, () -> {
                    jvm.sample();
                    // The stuck client is gone from the server's clients when only the readers are left.
                    if (droppedAt.get() == 0 && metric(http, base, "export_counter_live_clients") <= CLIENTS + 1) {
                        droppedAt.set(System.currentTimeMillis());
                    }
                    // Once, halfway through the year, the heap the instance keeps under the full load.
                    if (heapUnderLoad.get() == 0 && national.cents() >= halfway) {
                        heapUnderLoad.set(jvm.heapAfterFullGc());
                        heldUnderLoad.set(jvm.largestClasses(HISTOGRAM_LINES));
                    }
                });
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                long countedAt = System.currentTimeMillis();
                if (heapUnderLoad.get() == 0) {
                    heapUnderLoad.set(jvm.heapAfterFullGc());
                }
                ServingRequestLoad.Result requests = null;
                if (load != null) {
                    load.interrupt();
                    requests = load.await(Duration.ofSeconds(30));
                }

                // Then (figures first, so that a failed run reports them too)
                boolean allGotTheYear = waitFor(Duration.ofSeconds(30), () -> clients.snapshot().stream()
                        .allMatch(c -> c.watchedTotalCents == year.annualCents() && c.watchedMilestoneAtMs > 0));
                long allHadTotalAt = System.currentTimeMillis();
                boolean stuckClosed = droppedAt.get() > 0 && SseClients.closedByServer(stuck, 60_000);
                double droppedForQueue = metric(http, base, "export_counter_live_clients_dropped_total");
                long stuckClosedAt = System.currentTimeMillis();
                Milestone crossing = milestone(config);
                List<Long> milestoneDelays = new ArrayList<>();
                long firstMilestone = Long.MAX_VALUE;
                long lastMilestone = 0;
                for (SseClients.Client c : clients.snapshot()) {
                    if (c.watchedMilestoneAtMs > 0) {
                        milestoneDelays.add(c.watchedMilestoneAtMs - crossing.detectedAt().toEpochMilli());
                        firstMilestone = Math.min(firstMilestone, c.watchedMilestoneAtMs);
                        lastMilestone = Math.max(lastMilestone, c.watchedMilestoneAtMs);
                    }
                }
                milestoneDelays.sort(null);
                long spread = milestoneDelays.isEmpty() ? -1 : lastMilestone - firstMilestone;
                long heapBound = idleHeap + (long) CLIENTS * HEAP_BYTES_PER_CLIENT;
                long heapUnderLoadBound = Math.max(idleHeap, withoutLoad == null ? 0 : withoutLoad.heapHalfway())
                        + (long) CLIENTS * HEAP_BYTES_PER_CLIENT + HEAP_COUNTING_VARIANCE;
                int threadBound = idleThreads + EXTRA_THREADS;

                report.figure("declarations", String.format("%,d", DECLARATIONS));
                report.figure("time to count the year under load", seconds(took)
                        + (withoutLoad == null ? "" : String.format(" (×%.2f of without load)",
                                took.toMillis() / (double) withoutLoad.took().toMillis())));
                report.figure("SSE clients connected", String.format("%,d (+1 stuck, +1 unfiltered)", CLIENTS));
                report.figure("SSE events delivered", String.format("%,d to the %,d dashboard clients (%,d each on average);"
                        + " %,d to the unfiltered client (what the stuck client was offered)", clients.events(), CLIENTS,
                        clients.events() / CLIENTS, unfiltered.events()));
                report.figure("$700B milestone delivery, detectedAt to client: p50 / p99 / max", milestoneDelays.isEmpty()
                        ? "none delivered" : milestoneDelays.get(milestoneDelays.size() / 2) + " / "
                                + milestoneDelays.get((int) Math.ceil(milestoneDelays.size() * 0.99) - 1) + " / "
                                + milestoneDelays.get(milestoneDelays.size() - 1) + " ms (first to last client: " + spread
                                + " ms)");
                report.figure("final national total at every client", allGotTheYear ? "within " + (allHadTotalAt - countedAt)
                        + " ms of the test reading it on the totals topic (polled every 200 ms)" : "not within 30 s");
                if (requests != null) {
                    report.figure("requests served", String.format("%,d in %s (%,.0f/s)", requests.requests(),
                            seconds(requests.duration()), requests.perSecond()));
                    report.figure("request latency p50 / p99 / max", String.format("%.1f / %.1f / %.1f ms",
                            requests.p50Micros() / 1000.0, requests.p99Micros() / 1000.0, requests.maxMicros() / 1000.0));
                    report.figure("request errors: non-2xx other than 503; socket errors", requests.unexpected() + "; "
                            + requests.socketErrors() + " (by status: " + requests.byStatus() + ")");
                } else {
                    report.figure("requests served", "not measured: /usr/bin/wrk absent");
                }
                report.figure("heap used after full GC: idle / clients connected (bound) / halfway under load (bound)",
                        mib(idleHeap) + " / " + mib(connectedHeap) + " (" + mib(heapBound) + ") / " + mib(heapUnderLoad.get())
                                + " (" + mib(heapUnderLoadBound) + ")");
                report.figure("live threads: idle / clients connected / peak under load (bound)", idleThreads + " / "
                        + connectedThreads + " / " + jvm.peakThreads() + " (" + threadBound + ")");
                report.figure("live threads at peak, by name", jvm.peakThreadNames());
                report.figure("stuck client dropped after", droppedAt.get() == 0 ? "not dropped" : String.format(
                        "%.1f s (%s); its connection closed by the server %s", (droppedAt.get() - stuckAt) / 1000.0,
                        droppedForQueue >= 1 ? "its queue of " + 4096 + " events full" : "its blocked write ended by the"
                                + " server's idle timeout; export_counter_live_clients_dropped_total 0, the queue never full",
                        stuckClosed ? String.format("%.1f s after it connected", (stuckClosedAt - stuckAt) / 1000.0)
                                : "not within 60 s"));
                log.info("Under load: counted in {}, {} events to {} clients, requests {}, heap {} -> {} -> {}, threads {} -> {} -> {}",
                        seconds(took), clients.events(), CLIENTS, requests, mib(idleHeap), mib(connectedHeap),
                        mib(heapUnderLoad.get()), idleThreads, connectedThreads, jvm.peakThreads());

                // Then the year was counted to the cent, the milestone naming the planned declaration
                assertThat(crossing.declarationId()).as("the $700B milestone's declaration").isEqualTo(producing.crossingDeclarationId());
                report.met(String.format("The year was counted to the cent under load: the national 2025 total on the totals"
                        + " topic is %s, the calibration's, and the $700B milestone names %s, the planned crossing"
                        + " declaration.", usd(year.annualCents()), crossing.declarationId()));

                // And every client received the year's final national total and the $700B milestone, promptly
                assertThat(allGotTheYear).as("every client has the final national total and the $700B milestone").isTrue();
                assertThat(clients.connected()).as("clients still connected after the year").isEqualTo(CLIENTS);
                assertThat(Duration.ofMillis(spread)).as("from the first client's $700B milestone to the last's")
                        .isLessThanOrEqualTo(PROMPT);
                report.met(String.format("Each of the %,d clients received the year's final national total (%s) and the"
                        + " $700B milestone, the last %d ms after the first (bound %d s), and none was dropped.", CLIENTS,
                        usd(year.annualCents()), spread, PROMPT.toSeconds()));

                // And the stuck client, once dropped, has its connection closed by the server. A year offers it
                // few enough events (about 1 MB) that the socket buffers may take them all: then its writes never
                // block, its queue never fills, and it costs the others nothing (checked above); the report says so.
                if (droppedAt.get() == 0) {
                    report.did(String.format("The stuck client was not dropped during the year: it was offered %,d events"
                            + " (as many as the unfiltered reader received), which the socket buffers took, so its writes"
                            + " never blocked and its queue of 4,096 never filled; the queue-overflow drop is covered by"
                            + " SseHubTest.", unfiltered.events()));
                } else {
                    assertThat(stuckClosed).as("the server closed the stuck client's connection").isTrue();
                    report.met(String.format("The stuck client was dropped %.1f s after it connected (export_counter_live_clients"
                        + " back to the %,d readers, export_counter_live_clients_dropped_total %.0f) and its connection closed"
                        + " by the server, while the others kept receiving.", (droppedAt.get() - stuckAt) / 1000.0,
                        CLIENTS + 1, droppedForQueue));
                }

                // And heap and threads stayed within bounds that do not grow with the clients
                assertThat(connectedHeap).as("heap after GC with the clients connected").isLessThanOrEqualTo(heapBound);
                assertThat(heapUnderLoad.get()).as("heap after GC under load; it held most of%n%s", heldUnderLoad.get())
                        .isLessThanOrEqualTo(heapUnderLoadBound);
                assertThat(jvm.peakThreads()).as("live threads, peak under load").isLessThanOrEqualTo(threadBound);
                report.met(String.format("The serving JVM stayed bounded: heap used after a full GC %s idle and %s with the"
                        + " clients connected (bound: idle + %d KiB a client = %s), %s halfway through the year under load"
                        + " (bound: what the pipeline kept halfway through the year without load, the clients' allowance and"
                        + " the stores' 64 MiB record cache = %s); live threads %d idle, %d with the clients connected, %d at"
                        + " peak under load (bound: idle + %d: Jetty's request pool at its most, 16 senders and the test's own,"
                        + " whatever the number of clients).", mib(idleHeap), mib(connectedHeap), HEAP_BYTES_PER_CLIENT / 1024,
                        mib(heapBound), mib(heapUnderLoad.get()), mib(heapUnderLoadBound), idleThreads, connectedThreads,
                        jvm.peakThreads(), EXTRA_THREADS));

                // And the API answered the request load without errors
                if (requests != null) {
                    assertThat(requests.unexpected()).as("answers other than 2xx and 503: %s", requests.byStatus()).isZero();
                    assertThat(requests.socketErrors()).as("wrk's socket errors").isZero();
                    assertThat(requests.requests()).as("requests served").isPositive();
                    report.met(String.format("The API answered every request of the load: %,d requests, none other than"
                            + " 2xx or the documented 503 (%s), no socket error.", requests.requests(), requests.byStatus()));
                }
            }
        }
    }

    /** Polls {@code condition} every 200 ms until it holds (true) or {@code timeout} passes (false). */
    private static boolean waitFor(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private static PipelineConfig config(String prefix, Path dir) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("streams.bootstrap.servers", kafka.bootstrapServers());
        s.put("streams.application.id", prefix);
        s.put("streams.state.dir", Files.createDirectories(dir.resolve(prefix)).toString());
        s.put("http.port", "0");
        s.put("topics.declarations", prefix + ".declarations");
        s.put("topics.rates", prefix + ".rates");
        s.put("topics.totals", prefix + ".totals");
        s.put("topics.milestones", prefix + ".milestones");
        s.put("topics.forecasts", prefix + ".forecasts");
        s.put("topics.rejected", prefix + ".rejected");
        s.put("topics.rates-by-week", prefix + ".rates-by-week");
        s.put("topics.stage-one-pace", prefix + ".stage-one-pace");
        PipelineConfig config = PipelineConfig.defaults();
        for (Map.Entry<String, String> e : s.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    /**
     * Until the national 2025 total on the totals topic is the year's and the producer is done; {@code each} runs
     * about once a second meanwhile.
     */
    private static void awaitCounted(Year year, NationalTotal national, PipelineRunner runner, Producing producing,
            Runnable each) {
        await("the year counted to the cent").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    runner.fatalError().ifPresent(e -> {
                        throw new AssertionError("the pipeline stopped counting: " + e, e);
                    });
                    producing.failure().ifPresent(e -> {
                        throw new AssertionError("producing the year failed: " + e, e);
                    });
                    each.run();
                    national.poll();
                    return producing.done() && national.cents() == year.annualCents();
                });
    }

    private static Milestone milestone(PipelineConfig config) throws Exception {
        Milestone found = null;
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(kafka.bootstrapServers(), config.milestonesTopic())) {
            Milestone m = ContractJson.instance().parseMilestone(r.value());
            if (m.milestoneId().equals(MILESTONE_700B) && m.type() == MilestoneType.CROSSED) {
                assertThat(found).as("one $700B crossing").isNull();
                found = m;
            }
        }
        assertThat(found).as("the $700B milestone on the milestones topic").isNotNull();
        return found;
    }

    /** A value of the instance's /metrics (the first sample of that name). */
    private static double metric(HttpClient http, String base, String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("no " + name + " on /metrics");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String usd(long cents) {
        return String.format("$%,.2f", new java.math.BigDecimal(Money.format(cents)));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String mib(long bytes) {
        return String.format("%,.0f MiB", bytes / (1024.0 * 1024.0));
    }

    /** The year produced by a thread of its own, as fast as the cluster takes it, straight from the generator. */
    private static final class Producing {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile String crossingDeclarationId;
        private volatile boolean done;

        private Producing(PipelineConfig config, SimulatorOptions options) {
            thread = new Thread(() -> produce(config, options), "produce-the-year");
            thread.setDaemon(true);
        }

        static Producing start(PipelineConfig config, SimulatorOptions options) {
            Producing p = new Producing(config, options);
            p.thread.start();
            return p;
        }

        private void produce(PipelineConfig config, SimulatorOptions options) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                DeclarationGenerator generator = DeclarationGenerator.create(options);
                generator.forEachRemaining(e -> producer.send(new ProducerRecord<>(
                        e.kind().onRatesTopic() ? config.ratesTopic() : config.declarationsTopic(),
                        e.key().getBytes(StandardCharsets.UTF_8), e.value()), (md, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            }
                        }));
                producer.flush();
                crossingDeclarationId = generator.crossingDeclarationId();
                done = true;
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        boolean done() {
            return done;
        }

        String crossingDeclarationId() {
            assertThat(done).as("the year produced").isTrue();
            return crossingDeclarationId;
        }

        java.util.Optional<Throwable> failure() {
            return java.util.Optional.ofNullable(failure.get());
        }
    }

    /** The latest national 2025 total on the totals topic, read committed from the beginning. */
    private static final class NationalTotal implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private volatile long cents = -1;

        NationalTotal(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (NATIONAL_2025.equals(r.key()) && r.value() != null) {
                    try {
                        cents = Money.toCents(ContractJson.instance().parseTotal(r.value()).totalUsd());
                    } catch (Exception e) {
                        throw new AssertionError("a national total that breaks the contract: " + e.getMessage(), e);
                    }
                }
            }
        }

        long cents() {
            return cents;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** The test JVM's (the serving JVM's) heap and live threads. */
    private static final class JvmFigures {
        private int peakThreads;

        int threads() {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        }

        private String peakThreadNames = "";

        void sample() {
            int now = threads();
            if (now > peakThreads) {
                peakThreads = now;
                // Names without their numbers: which pools the threads belong to.
                Map<String, Integer> byName = new java.util.TreeMap<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    byName.merge(t.getName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*").replaceAll("\\d+", "N"), 1,
                            Integer::sum);
                }
                peakThreadNames = byName.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .limit(6).map(e -> e.getKey() + " ×" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            }
        }

        String peakThreadNames() {
            return peakThreadNames;
        }

        int peakThreads() {
            return Math.max(peakThreads, threads());
        }

        /**
         * The first {@code lines} classes of the heap's class histogram (largest first, after a full collection), as
         * {@code jcmd <pid> GC.class_histogram} prints it, through the JVM's diagnostic command MBean.
         */
        String largestClasses(int lines) {
            try {
                Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[] {new String[0]}, new String[] {String[].class.getName()});
                return String.join("\n", histogram.toString().lines().limit(lines + 2).toList());
            } catch (javax.management.JMException e) {
                return "(no class histogram: " + e.getMessage() + ")";
            }
        }

        /** Heap in use right after a full collection: what the JVM keeps, not what it has yet to collect. */
        long heapAfterFullGc() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
