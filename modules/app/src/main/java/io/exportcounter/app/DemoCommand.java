package io.exportcounter.app;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.serving.ServingServer;
import io.exportcounter.simulator.Progress;
import io.exportcounter.simulator.ProgressListener;
import io.exportcounter.simulator.Simulator;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export-counter demo}: everything on one machine with no setup. An embedded Kafka broker, the
 * pipeline with its dashboard, the notifier and a compressed replay of a year, with the press notice
 * printed the moment a milestone falls. Ctrl-C stops it all.
 */
@Command(
        name = "demo",
        description = {
                "Everything on one machine, no setup: an embedded Kafka broker (KRaft), the pipeline with its dashboard, "
                        + "the notifier and a compressed replay of a year (2025 by default), until Ctrl-C.",
                "",
                "The press notices print here the moment a milestone falls; for 2025, $700 billion at 1:03 p.m. on December 29."
        },
        footer = {"", "Example:", "  export-counter demo                 # then open the dashboard URL it prints"})
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /** How close to a threshold (in cents: $3 billion) the replay waits for the pipeline to catch up. */
    private static final long CATCH_UP_MARGIN_CENTS = 300_000_000_000L;

    @Mixin
    private CommandContext context;

    @Option(names = "--year", paramLabel = "YYYY", defaultValue = "2025", description = "The year to replay. Default: ${DEFAULT-VALUE}.")
    private int year;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "250000",
            description = "Simulated seconds per real second. Default: ${DEFAULT-VALUE} (a year in about two minutes).")
    private double speed;

    @Option(names = "--declarations", paramLabel = "N", defaultValue = "300000",
            description = "Declarations in the replayed year. Default: ${DEFAULT-VALUE}.")
    private int declarations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20251229", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
            description = "Port of the dashboard and API. Default: ${DEFAULT-VALUE}.")
    private int httpPort;

    @Option(names = "--no-slow-motion",
            description = "Do not slow down for the last half hour before the 2025 crossing of $700 billion.")
    private boolean noSlowMotion;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the demo keeps Kafka's data, the state stores and the notices. Default: a temporary directory.")
    private Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (httpPort < 1 || httpPort > 65535) {
            throw context.usageError("Invalid value for option '--http-port': " + httpPort);
        }
        SimulatorOptions simulation;
        try {
            simulation = SimulatorOptions.builder().year(year).seed(seed).speed(speed).declarations(declarations)
                    .bootstrapServers("localhost:0").progress(true)
                    .slowMotion(noSlowMotion ? SimulatorOptions.SlowMotion.OFF : SimulatorOptions.SlowMotion.AUTO).build();
        } catch (IllegalArgumentException e) {
            throw context.usageError(e.getMessage());
        }
        Termination termination = context.termination();
        PrintWriter out = context.out();
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("export-counter-demo-");
        Path notices = dir.resolve("notices.jsonl");

        // The terminal shows the progress bar, the notices and real problems only (DemoLogging).
        try (DemoLogging quiet = DemoLogging.quiet();
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).build().start()) {
            PipelineConfig pipelineConfig = PipelineConfig.defaults()
                    .with("streams.bootstrap.servers", broker.bootstrapServers())
                    .with("streams.application.id", "export-counter-demo")
                    .with("streams.state.dir", Files.createDirectories(dir.resolve("state")).toString())
                    .with("http.port", Integer.toString(httpPort));
            NotifierConfig notifierConfig = NotifierConfig.defaults()
                    .with("kafka.bootstrap.servers", broker.bootstrapServers())
                    .with("outbox.enabled", "true")
                    .with("outbox.file", notices.toString());
            try (PipelineRunner pipeline = new PipelineRunner(pipelineConfig);
                    ServingServer server = ServingServer.start(pipeline);
                    Notifier notifier = new Notifier(notifierConfig);
                    NoticePrinter printer = new NoticePrinter(notices, out)) {
                pipeline.start();
                notifier.start();
                if (!pipeline.awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the pipeline did not start; see the log above");
                }
                printer.start();
                String dashboard = "http://localhost:" + server.port() + "/";
                out.printf("%nExport Counter demo: replaying %d at %,.0fx. Dashboard: %s%n"
                        + "Kafka at %s, data in %s. Press Ctrl-C to stop.%n%n", year, speed, dashboard,
                        broker.bootstrapServers(), dir);
                out.flush();

                long[] thresholds = MilestoneRules.from(pipelineConfig).thresholds(Dimension.NATIONAL, pipelineConfig.country());
                Thread replay = new Thread(() -> replay(simulation.toBuilder().bootstrapServers(broker.bootstrapServers()).build(),
                        server.port(), thresholds == null ? new long[0] : thresholds, out), "demo-replay");
                replay.setDaemon(true);
                replay.start();
                termination.await();
                replay.interrupt();
                // On the terminal, not in the log: the demo's INFO lines are off (DemoLogging).
                out.printf("%nStopping the demo...%n");
                out.flush();
                LOG.info("Stopping the demo");
            }
        }
        return 0;
    }

    private void replay(SimulatorOptions options, int port, long[] thresholds, PrintWriter out) {
        // Before each national threshold, and before the planned crossing, let the pipeline catch up with
        // what was sent, so that each milestone names the declaration that really took the total past it:
        // a pipeline far behind catches up on its partitions at different speeds (docs/architecture.md).
        ProgressListener catchUp = new ProgressListener() {
            private int next;
            private long lastSent;

            @Override
            public void onProgress(Progress progress) {
                long sent = progress.runningTotalCents();
                // Close enough that the next step (about as long as the last one) could cross it.
                long margin = Math.max(CATCH_UP_MARGIN_CENTS, 2 * (sent - lastSent));
                lastSent = sent;
                while (next < thresholds.length && thresholds[next] <= sent) {
                    next++;
                }
                if (next < thresholds.length && thresholds[next] - sent < margin) {
                    awaitNationalTotal(port, options.year(), sent);
                    next++;
                }
            }

            @Override
            public void onSlowMotion(Progress progress) {
                awaitNationalTotal(port, options.year(), progress.runningTotalCents());
            }
        };
        try {
            // The simulator draws its own progress bar (options.progress()).
            Simulator.run(options, catchUp);
            out.printf("%nReplay of %d finished. The dashboard stays up; press Ctrl-C to stop.%n", options.year());
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The replay stopped: {}", e.getMessage());
        }
    }

    /** Waits (at most two minutes) until the national total served by the pipeline equals {@code cents}. */
    private static void awaitNationalTotal(int port, int year, long cents) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/totals/" + year)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    Total t = ContractJson.instance().parseTotal(r.body());
                    if (Money.toCents(t.totalUsd()) >= cents) {
                        return;
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("Waiting for the pipeline: {}", e.toString());
            }
        }
        LOG.warn("The pipeline is still behind the replay; going on");
    }

    /** Prints each notice the notifier writes to its outbox file, in English and Korean, as it arrives. */
    static final class NoticePrinter implements AutoCloseable {
        private final Path file;
        private final PrintWriter out;
        private final Thread thread;
        private volatile boolean running = true;

        NoticePrinter(Path file, PrintWriter out) {
            this.file = file;
            this.out = out;
            this.thread = new Thread(this::follow, "demo-notices");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void follow() {
            long position = 0;
            StringBuilder partial = new StringBuilder();
            while (running) {
                try {
                    if (Files.exists(file) && Files.size(file) > position) {
                        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                            raf.seek(position);
                            byte[] bytes = new byte[(int) (raf.length() - position)];
                            raf.readFully(bytes);
                            position += bytes.length;
                            partial.append(new String(bytes, StandardCharsets.UTF_8));
                        }
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            print(partial.substring(0, nl));
                            partial.delete(0, nl + 1);
                        }
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    LOG.warn("Cannot read the notices in {}: {}", file, e.getMessage());
                }
            }
        }

        private void print(String line) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                var notice = node.path("notice");
                out.printf("%n================================ PRESS NOTICE ================================%n%s%n%s%n"
                        + "==============================================================================%n%n",
                        notice.path("en").asText(), notice.path("ko").asText());
                out.flush();
            } catch (IOException e) {
                LOG.warn("Unreadable notice line in {}: {}", file, e.getMessage());
            }
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
