package io.exportcounter.app;

import io.exportcounter.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export-counter broker}: a single-node Kafka broker in this process, until Ctrl-C. */
@Command(
        name = "broker",
        description = {
                "Run a single-node Kafka broker in this process, until Ctrl-C.",
                "",
                "A real Kafka broker (KRaft: broker and controller in one node), nothing to download or install. "
                        + "Transactions (exactly-once) work on it. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM, exit code 0."
        },
        footer = {"", "Example:", "  export-counter broker --port 19092 --data-dir data/kafka --partitions 3"})
final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

    @Mixin
    private CommandContext context;

    @Option(names = "--port", paramLabel = "N", defaultValue = "9092",
            description = "Client port on localhost; 0 picks a free port. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data in DIR across restarts. Default: a temporary directory, deleted on exit.")
    private Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of automatically created topics. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw context.usageError("Invalid value for option '--port': " + port + " is not between 0 and 65535");
        }
        if (partitions < 1) {
            throw context.usageError("Invalid value for option '--partitions': " + partitions + " is not >= 1");
        }
        Termination termination = context.termination();
        PrintWriter out = context.out();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(port)
                .dataDir(dataDir)
                .defaultPartitions(partitions)
                .build()) {
            broker.start();
            out.printf("Kafka broker ready at %s (data: %s%s). Press Ctrl-C to stop.%n",
                    broker.bootstrapServers(), broker.dataDir(), dataDir == null ? ", deleted on exit" : "");
            out.flush();
            try {
                termination.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Stopping the Kafka broker at {}", broker.bootstrapServers());
        }
        return 0;
    }
}
