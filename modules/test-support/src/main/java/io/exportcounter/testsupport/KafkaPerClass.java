package io.exportcounter.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka from {@link KafkaBackend#start()} for the tests of one class: started before the first, closed after
 * the last. Register it as {@code @RegisterExtension static final KafkaPerClass broker = new KafkaPerClass();}.
 */
public final class KafkaPerClass implements BeforeAllCallback, AfterAllCallback {
    private TestKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = KafkaBackend.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** {@code host:port} for clients; only while the class's tests run. */
    public String bootstrapServers() {
        if (kafka == null) {
            throw new IllegalStateException("no Kafka outside the tests of the class that registers this extension");
        }
        return kafka.bootstrapServers();
    }
}
