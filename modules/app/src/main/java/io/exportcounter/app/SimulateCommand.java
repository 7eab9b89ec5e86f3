package io.exportcounter.app;

import io.exportcounter.simulator.ConsoleProgressBar;
import io.exportcounter.simulator.ProgressListener;
import io.exportcounter.simulator.SimulationSummary;
import io.exportcounter.simulator.Simulator;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export-counter simulate}: a realistic year of declarations and weekly rates, sent to Kafka. */
@Command(
        name = "simulate",
        description = {
                "Send a realistic, reproducible year of export declarations and weekly customs exchange rates to Kafka.",
                "",
                "Monthly totals are calibrated to the published figures (2024 and 2025 ship with the project; any year "
                        + "from a month,totalUsd CSV, optionally with each month's firstTwentyDaysUsd). For 2025 the running total passes $700 billion with a declaration "
                        + "accepted on 2025-12-29 at 1:03:27 p.m. KST, as it happened."
        },
        footer = {"", "Examples:",
                "  export-counter simulate --year 2025 --speed 250000            # a year in about two minutes",
                "  export-counter simulate --year 2024 --rate 5000 --seed 7"})
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    private CommandContext context;

    @Option(names = "--year", paramLabel = "YYYY", defaultValue = "2025", description = "The year to replay. Default: ${DEFAULT-VALUE}.")
    private int year;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20251229",
            description = "Random seed: the same seed sends the same records. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @ArgGroup(exclusive = true)
    private Pace pace;

    static final class Pace {
        @Option(names = "--speed", paramLabel = "X", required = true,
                description = "Simulated seconds per real second (1 = live pace; 250000 = a year in about two minutes).")
        Double speed;

        @Option(names = "--rate", paramLabel = "N", required = true, description = "Records per real second.")
        Double rate;
    }

    @Option(names = "--declarations", paramLabel = "N", defaultValue = "500000",
            description = "Declarations in the year. Default: ${DEFAULT-VALUE}.")
    private int declarations;

    @Option(names = "--malformed-share", paramLabel = "F", defaultValue = "0.001",
            description = "Share of malformed records (rejected by the pipeline). Default: ${DEFAULT-VALUE}.")
    private double malformedShare;

    @Option(names = "--calibration", paramLabel = "CSV", description = "Monthly totals (month,totalUsd[,firstTwentyDaysUsd]) of the year to replay.")
    private Path calibration;

    @Option(names = "--declarations-at-crossing", paramLabel = "N", defaultValue = "1",
            description = "Declarations accepted in the second of the planned crossing, each of which alone would take the"
                    + " total past the threshold: the declarationId order decides which one crosses. Default: ${DEFAULT-VALUE}.")
    private int declarationsAtCrossing;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start at this simulated time (ISO-8601 with offset): what came before is not sent, but for the"
                    + " weekly rates. With --until, a year in slices: --until T, then --from T.")
    private OffsetDateTime from;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Stop before this simulated time (ISO-8601 with offset, e.g. 2025-12-15T00:00:00+09:00).")
    private OffsetDateTime until;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka to send to. Default: ${DEFAULT-VALUE}.")
    private String bootstrapServer;

    @Option(names = "--no-progress", description = "No progress bar on the console.")
    private boolean noProgress;

    @Override
    public Integer call() throws Exception {
        SimulatorOptions options = options();
        // The bar (unless --no-progress) and, either way, one summary line at the end, on standard error.
        PrintWriter err = context.err();
        ProgressListener console = noProgress ? ConsoleProgressBar.summaryOnly(err) : new ConsoleProgressBar(err);
        // Ctrl-C stops sending: what was sent is flushed and the summary says "Interrupted".
        Thread simulating = Thread.currentThread();
        Termination termination = context.termination();
        Thread stopper = new Thread(() -> {
            try {
                termination.await();
                simulating.interrupt();
            } catch (InterruptedException e) {
                // the run ended first
            }
        }, "simulate-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            SimulationSummary summary = Simulator.run(options, console);
            return summary.completed() ? 0 : ExportCounterCli.FAILURE;
        } catch (InterruptedException e) {
            return ExportCounterCli.FAILURE;
        } finally {
            stopper.interrupt();
            Thread.interrupted(); // a stop requested just as the run ended
        }
    }

    private SimulatorOptions options() {
        try {
            SimulatorOptions.Builder b = SimulatorOptions.builder().year(year).seed(seed).declarations(declarations)
                    .malformedShare(malformedShare).bootstrapServers(bootstrapServer)
                    .declarationsAtCrossing(declarationsAtCrossing).from(from == null ? null : from.toInstant())
                    .until(until == null ? null : until.toInstant())
                    .progress(false); // the command draws the bar itself (call), so that the simulator does not draw a second
            if (pace != null && pace.speed != null) {
                b.speed(pace.speed);
            } else if (pace != null && pace.rate != null) {
                b.rate(pace.rate);
            }
            if (calibration != null) {
                b.calibrationFile(calibration);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw context.usageError(e.getMessage());
        }
    }
}
