package io.exportcounter.app;

import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.kafka.KafkaCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export-counter broker}: a single-node Kafka broker in this process, or with {@code --nodes N} a cluster of N
 * broker processes, until Ctrl-C.
 */
@Command(
        name = "broker",
        description = {
                "Run a single-node Kafka broker in this process, or a cluster of several, until Ctrl-C.",
                "",
                "A real Kafka broker (KRaft: broker and controller in one node), nothing to download or install. "
                        + "Transactions (exactly-once) work on it. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM, exit code 0.",
                "",
                "With --nodes 3: three broker+controller nodes, each a JVM of its own, with the production settings of "
                        + "docker/docker-compose.yml (replication factor 3, min.insync.replicas=2, no unclean leader election, "
                        + "no automatic topic creation). Its client ports are picked free and kept in the data directory; "
                        + "each node logs to node-<id>/node.log there."
        },
        footer = {"", "Examples:", "  export-counter broker --port 19092 --data-dir data/kafka --partitions 3",
                "  export-counter broker --nodes 3 --data-dir data/kafka-cluster"})
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

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "1: one broker in this process; 2 to 9: a cluster of broker processes. Default: ${DEFAULT-VALUE}.")
    private int nodes;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw context.usageError("Invalid value for option '--port': " + port + " is not between 0 and 65535");
        }
        if (partitions < 1) {
            throw context.usageError("Invalid value for option '--partitions': " + partitions + " is not >= 1");
        }
        if (nodes < 1 || nodes > 9) {
            throw context.usageError("Invalid value for option '--nodes': " + nodes + " is not between 1 and 9");
        }
        if (nodes > 1) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--port")) {
                throw context.usageError("--port is for a single broker; a cluster picks free ports (kept with --data-dir)");
            }
            return runCluster();
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

    private int runCluster() {
        Termination termination = context.termination();
        PrintWriter out = context.out();
        try (KafkaCluster cluster = KafkaCluster.builder().nodes(nodes).dataDir(dataDir)
                .brokerProperty("num.partitions", Integer.toString(partitions)).build()) {
            cluster.start();
            out.printf("Kafka cluster of %d nodes ready at %s (data: %s%s; node logs: node-<id>/node.log there). "
                    + "Press Ctrl-C to stop.%n", nodes, cluster.bootstrapServers(), cluster.dataDir(),
                    dataDir == null ? ", deleted on exit" : "");
            out.flush();
            try {
                termination.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Stopping the Kafka cluster at {}", cluster.bootstrapServers());
            cluster.shutdown(Duration.ofSeconds(30));
        }
        return 0;
    }
}
