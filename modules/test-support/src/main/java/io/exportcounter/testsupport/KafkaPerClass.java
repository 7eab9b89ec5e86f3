package io.exportcounter.testsupport;

import io.exportcounter.kafka.KafkaCluster;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka for the tests of one class: started before the first, closed after the last.
 *
 * <ul>
 *   <li>{@code @RegisterExtension static final KafkaPerClass broker = new KafkaPerClass();} one broker from
 *       {@link KafkaBackend#start()} (a container where Docker is, else the in-process broker);</li>
 *   <li>{@code @RegisterExtension static final KafkaPerClass kafka = KafkaPerClass.cluster(3);} a cluster of three
 *       broker processes with production settings (replication 3, min ISR 2), which {@link #cluster()} kills, pauses
 *       and restarts; {@code KafkaPerClass.cluster(3, b -> b.secured())} for SASL_SSL with ACLs. The nodes' logs go to
 *       {@code target/kafka-cluster/<test class>/node-<id>.log}.</li>
 * </ul>
 */
public final class KafkaPerClass implements BeforeAllCallback, AfterAllCallback {
    private final Function<ExtensionContext, TestKafka> starter;
    private TestKafka kafka;

    /** One broker from {@link KafkaBackend#start()}. */
    public KafkaPerClass() {
        this(context -> KafkaBackend.start());
    }

    private KafkaPerClass(Function<ExtensionContext, TestKafka> starter) {
        this.starter = starter;
    }

    /** A cluster of {@code nodes} broker processes with production settings. */
    public static KafkaPerClass cluster(int nodes) {
        return cluster(nodes, UnaryOperator.identity());
    }

    /** As {@link #cluster(int)}, with the builder changed by {@code settings} (e.g. {@code b -> b.secured()}). */
    public static KafkaPerClass cluster(int nodes, UnaryOperator<KafkaCluster.Builder> settings) {
        return new KafkaPerClass(context -> KafkaBackend.startCluster(settings.apply(KafkaCluster.builder().nodes(nodes)
                .logDir(Path.of("target", "kafka-cluster", context.getRequiredTestClass().getSimpleName())))));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = starter.apply(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** {@code host:port[,host:port...]} for clients; only while the class's tests run. */
    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The running Kafka; only while the class's tests run. */
    public TestKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("no Kafka outside the tests of the class that registers this extension");
        }
        return kafka;
    }

    /** The cluster of broker processes, to kill, pause and restart its nodes; only for {@link #cluster(int)}. */
    public KafkaCluster cluster() {
        return kafka().cluster().orElseThrow(() -> new IllegalStateException(
                "this KafkaPerClass runs one broker; register KafkaPerClass.cluster(3) for a cluster"));
    }
}
