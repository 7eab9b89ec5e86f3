package io.exportcounter.testsupport;

import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.kafka.KafkaCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Chooses the Kafka the integration tests run against: a Testcontainers {@code apache/kafka} container
 * when a Docker engine is reachable, the embedded KRaft broker otherwise. One suite, two backends.
 *
 * <p>{@code -Dkafka.backend=auto|embedded|testcontainers} forces a choice ({@code auto} is the default);
 * {@code -Dkafka.image=apache/kafka:TAG} picks the image (the parent pom pins it to the Kafka version of
 * the build). The backend that ran is logged once per broker, and recorded as the system property
 * {@value #USED_PROPERTY}, which surefire and failsafe write into each test report's properties.
 */
public final class KafkaBackend {
    private static final Logger log = LoggerFactory.getLogger(KafkaBackend.class);

    public static final String PROPERTY = "kafka.backend";
    public static final String IMAGE_PROPERTY = "kafka.image";
    public static final String USED_PROPERTY = "kafka.backend.used";

    /** Where a {@link TestKafka} runs: one in-process broker, one container, or a cluster of broker processes. */
    public enum Kind { EMBEDDED, TESTCONTAINERS, CLUSTER }

    private KafkaBackend() {
    }

    /** Starts a single-node cluster on the chosen backend. */
    public static TestKafka start() {
        TestKafka kafka = selected() == Kind.TESTCONTAINERS ? startContainer(image()) : startEmbedded();
        log.info("Kafka backend: {}", kafka.description());
        System.setProperty(USED_PROPERTY, kafka.description());
        return kafka;
    }

    /**
     * Starts a cluster of {@code builder}'s nodes (three by default, production settings) on this machine, each node a
     * JVM of its own that a test can kill, pause and restart ({@link TestKafka#cluster()}). Whatever the backend: the
     * nodes need to be processes of this machine (SIGKILL, SIGSTOP), which Testcontainers' single broker is not.
     */
    public static TestKafka startCluster(KafkaCluster.Builder builder) {
        KafkaCluster cluster = builder.build().start();
        String description = "JVM cluster of " + cluster.size() + " KRaft nodes (Kafka " + kafkaVersion() + ")"
                + (cluster.isSecured() ? ", SASL_SSL" : "") + " at " + cluster.bootstrapServers();
        log.info("Kafka backend: {}", description);
        System.setProperty(USED_PROPERTY, description);
        return new Running(Kind.CLUSTER, description, cluster::bootstrapServers, Optional.empty(), Optional.of(cluster), cluster::close);
    }

    /** The backend {@link #start()} runs on, for tests that need to know before (see {@link TestKafka#embedded()}). */
    public static Kind selected() {
        String requested = System.getProperty(PROPERTY);
        boolean forced = requested != null && requested.trim().equalsIgnoreCase("testcontainers");
        // Testcontainers' probe logs an ERROR with a stack trace when there is no engine: in auto mode it is
        // asked only when something points to one.
        return choose(requested, forced ? KafkaBackend::dockerAvailable
                : () -> dockerHinted(System.getenv(), Path.of(System.getProperty("user.home"))) && dockerAvailable());
    }

    /**
     * Whether anything points to a Docker engine: {@code DOCKER_HOST}, a Testcontainers settings file, or a
     * socket where Docker, Docker Desktop, Colima or Podman put theirs. Auto mode runs on the embedded broker
     * without asking Testcontainers otherwise; {@code -Dkafka.backend=testcontainers} always asks it.
     */
    static boolean dockerHinted(Map<String, String> env, Path home) {
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return true;
        }
        List<Path> places = new ArrayList<>(List.of(home.resolve(".testcontainers.properties"), Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"), home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock")));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            places.add(Path.of(runtime, "docker.sock"));
            places.add(Path.of(runtime, "podman", "podman.sock"));
        }
        return places.stream().anyMatch(Files::exists);
    }

    /**
     * The backend for a {@code kafka.backend} value ({@code null} or blank is {@code auto}).
     *
     * @throws IllegalStateException    when Testcontainers is forced without a Docker engine
     * @throws IllegalArgumentException for an unknown value
     */
    static Kind choose(String requested, BooleanSupplier dockerAvailable) {
        String value = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "embedded":
                return Kind.EMBEDDED;
            case "testcontainers":
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=testcontainers, but no Docker engine is reachable"
                            + " (Testcontainers found none: is the daemon running and DOCKER_HOST set?)."
                            + " Use -D" + PROPERTY + "=auto or =embedded to run on the embedded broker.");
                }
                return Kind.TESTCONTAINERS;
            case "auto":
                return dockerAvailable.getAsBoolean() ? Kind.TESTCONTAINERS : Kind.EMBEDDED;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + requested
                        + " is not one of auto, embedded, testcontainers");
        }
    }

    /** The container image: {@code -Dkafka.image}, else {@code apache/kafka} of the client version. */
    static String image() {
        String image = System.getProperty(IMAGE_PROPERTY);
        return image == null || image.isBlank() ? "apache/kafka:" + kafkaVersion() : image.trim();
    }

    /** The version of the Kafka clients (and of the embedded broker: one version is pinned for both). */
    static String kafkaVersion() {
        // What AppInfoParser reads; that class is internal API since Kafka 4.
        try (InputStream in = org.apache.kafka.clients.producer.KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("No Docker engine: {}", e.toString());
            return false;
        }
    }

    private static TestKafka startEmbedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        String description = "embedded KRaft " + kafkaVersion() + " at " + broker.bootstrapServers();
        return new Running(Kind.EMBEDDED, description, broker::bootstrapServers, Optional.of(broker), Optional.empty(), broker::close);
    }

    @SuppressWarnings("resource") // closed by the returned TestKafka
    private static TestKafka startContainer(String image) {
        // Exactly-once on one node: the transaction log must accept a replication factor and ISR of 1;
        // no rebalance delay, as on the embedded broker (the image's defaults are for a real cluster).
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_MIN_INSYNC_REPLICAS", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        String description = "Testcontainers " + image + " at " + container.getBootstrapServers();
        return new Running(Kind.TESTCONTAINERS, description, container::getBootstrapServers, Optional.empty(), Optional.empty(),
                container::stop);
    }

    /**
     * A started backend. The address is asked of the broker each time, as the broker knows it (an embedded broker
     * restarted by a test keeps its port).
     */
    private record Running(Kind kind, String description, Supplier<String> address, Optional<EmbeddedKafkaBroker> embedded,
                           Optional<KafkaCluster> cluster, Runnable stop) implements TestKafka {
        @Override
        public String bootstrapServers() {
            return address.get();
        }

        @Override
        public void close() {
            stop.run();
        }
    }
}
