package io.exportcounter.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.tools.StorageTool;

/**
 * What the in-JVM {@link EmbeddedKafkaBroker} and the nodes of a {@link KafkaCluster} share: a KRaft node in combined
 * mode (broker and controller), its settings for a small machine, its storage formatting, its readiness produce, and
 * the ports, files and error messages around it.
 */
final class KafkaNodeSupport {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNodeSupport.class);

    /** The host name the listeners bind to and advertise, unless a {@link KafkaCluster.Builder#host} says otherwise. */
    static final String HOST = "localhost";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private KafkaNodeSupport() {
    }

    // ------------------------------------------------------------------------------------------
    // Settings
    // ------------------------------------------------------------------------------------------

    /**
     * Identity, listeners and log directory of a node that is both broker and controller; clients and the other
     * brokers use {@code clientListener}. Both listeners bind to {@code host}, which the client listener advertises.
     */
    static void putCombinedModeNode(Map<String, String> config, int nodeId, String clientListener, String host, int port,
            int controllerPort, Path logDir) {
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(nodeId));
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("listeners", clientListener + "://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":"
                + controllerPort);
        config.put("advertised.listeners", clientListener + "://" + host + ":" + port);
        config.put("inter.broker.listener.name", clientListener);
        config.put("log.dirs", logDir.toString());
    }

    /** Replication of new topics and of the offsets, transaction and share-state topics. */
    static void putReplication(Map<String, String> config, int replicationFactor, int minInsyncReplicas) {
        String replication = Integer.toString(replicationFactor);
        String minIsr = Integer.toString(minInsyncReplicas);
        config.put("default.replication.factor", replication);
        config.put("min.insync.replicas", minIsr);
        config.put("offsets.topic.replication.factor", replication);
        config.put("transaction.state.log.replication.factor", replication);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("share.coordinator.state.topic.replication.factor", replication);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
    }

    /**
     * Fewer coordinator partitions, smaller coordinator segments and fewer threads than Kafka's defaults: the nodes
     * share a small machine with the tests.
     */
    static void putSmallMachineSettings(Map<String, String> config, int coordinatorPartitions) {
        config.put("offsets.topic.num.partitions", Integer.toString(coordinatorPartitions));
        config.put("transaction.state.log.num.partitions", Integer.toString(coordinatorPartitions));
        config.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        config.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        config.put("num.partitions", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "2");
        config.put("background.threads", "2");
        config.put("num.recovery.threads.per.data.dir", "1");
        config.put("num.replica.fetchers", "1");
        config.put("log.cleaner.threads", "1");
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    }

    /**
     * The settings of the producer that proves a node serves: one record with acks=all, no idempotence (one record
     * needs no producer id round trip), every wait bounded by {@code timeout}.
     */
    static Map<String, Object> readinessProducerProperties(Map<String, Object> clientProperties, String clientId,
            Duration timeout) {
        clientProperties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        clientProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        clientProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        clientProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        clientProperties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        clientProperties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        clientProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return clientProperties;
    }

    // ------------------------------------------------------------------------------------------
    // Builder checks
    // ------------------------------------------------------------------------------------------

    /** Adds a broker setting given to a builder; neither key nor value may be null. */
    static void putBrokerProperty(Map<String, String> brokerProperties, String key, String value) {
        brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /** A number given to a builder, refused outside [min, max]. */
    static int requireBetween(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }

    /** A start timeout given to a builder, refused unless positive. */
    static Duration requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return timeout;
    }

    // ------------------------------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------------------------------

    /**
     * Runs {@code kafka-storage.sh format} with {@code args} in this JVM and returns what it printed.
     *
     * @param storage what is formatted, for the error message (e.g. "the storage of node 2")
     */
    static String formatStorage(List<String> args, String storage) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(new String[0]), out);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("Could not format " + storage + ": " + describe(e) + outputSuffix(output), e);
        }
        if (rc != 0) {
            throw new EmbeddedKafkaException("Formatting " + storage + " failed (exit code " + rc + ")" + outputSuffix(output));
        }
        return output.toString(StandardCharsets.UTF_8).trim();
    }

    private static String outputSuffix(ByteArrayOutputStream output) {
        String text = output.toString(StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    /** The properties in {@code file}; none when it does not exist. */
    static Properties loadProperties(Path file) {
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return props;
    }

    static void storeProperties(Properties props, Path file, String comment) {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary data directory {}: {}", dir, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Ports and messages
    // ------------------------------------------------------------------------------------------

    static boolean isPortFree(int port) {
        return isPortFree(HOST, port);
    }

    static boolean isPortFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free now on {@link #HOST}, different from {@code except}. */
    static int freePort(int except) {
        return freePort(HOST, except);
    }

    /** A port that is free now on {@code host}, different from {@code except}. */
    static int freePort(String host, int except) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                int candidate = socket.getLocalPort();
                if (candidate != except) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + host + " (is it an address of this machine?)", e);
            }
        }
        throw new EmbeddedKafkaException("Cannot find a free port on " + host);
    }

    /** The first few distinct messages of a failure's causes, without the wrapping {@link ExecutionException}. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null && messages.size() < 3; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (messages.stream().noneMatch(x -> x.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }
}
