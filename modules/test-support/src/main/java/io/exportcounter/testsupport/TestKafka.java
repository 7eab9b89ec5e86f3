package io.exportcounter.testsupport;

import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.kafka.KafkaCluster;
import java.util.Optional;

/**
 * A running Kafka cluster for a test, from {@link KafkaBackend#start()}: the embedded KRaft broker or a
 * Testcontainers {@code apache/kafka} container; or from {@link KafkaBackend#startCluster}: several broker processes. Tests talk to it through {@link #bootstrapServers()}
 * only, so the same suite runs on both.
 */
public interface TestKafka extends AutoCloseable {

    /** {@code host:port} for clients. */
    String bootstrapServers();

    /** Which backend this is and where, e.g. {@code embedded KRaft 4.4.0 at localhost:41234}. */
    String description();

    KafkaBackend.Kind kind();

    /** The embedded broker, for the few tests that stop and restart it; empty on a container. */
    default Optional<EmbeddedKafkaBroker> embedded() {
        return Optional.empty();
    }

    /** The cluster of broker processes, for tests that kill, pause and restart nodes; empty on a single broker. */
    default Optional<KafkaCluster> cluster() {
        return Optional.empty();
    }

    /** Stops the broker and removes its data (idempotent). */
    @Override
    void close();
}
