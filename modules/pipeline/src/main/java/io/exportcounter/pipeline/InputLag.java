package io.exportcounter.pipeline;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Whether a stage-1 task has read all its input partition holds, as its stream thread's consumer knows it.
 *
 * <p>A task that reads nothing for a while tells stage 2 it is idle, so that stage 2 stops waiting for it. Time
 * alone misled it: during a catch-up a task's buffer often runs dry between two polls of a busy stream thread,
 * for longer than the idle time, while its partition still holds a backlog; stage 2 then applied the other tasks'
 * later declarations first (seen in the benchmark: the $700B milestone named a declaration of 3:33 p.m. instead
 * of the one of 1:03 p.m.). A task is idle only once its consumer has no record left for it, too.
 *
 * <p>Kafka Streams creates its clients through this supplier (the same clients its default supplier makes), which
 * keeps each stream thread's main consumer. {@link KafkaConsumer#currentLag} answers from what the consumer last
 * learned from the broker, without a request, and it is asked only on the consumer's own thread.
 */
public final class InputLag implements KafkaClientSupplier {
    private static final String CONSUMER_SUFFIX = "-consumer";
    /** Main consumers by the name of the stream thread that owns them. */
    private final Map<String, Consumer<byte[], byte[]>> byThread = new ConcurrentHashMap<>();

    /**
     * Whether the calling stream thread's consumer has handed Kafka Streams every record of {@code partition}
     * up to the end (for read_committed, the last stable offset). True where no consumer of this supplier runs
     * the calling thread (a TopologyTestDriver); false while the consumer does not know its lag yet.
     */
    public boolean caughtUp(TopicPartition partition) {
        Consumer<byte[], byte[]> consumer = byThread.get(Thread.currentThread().getName());
        if (consumer == null) {
            return true;
        }
        OptionalLong lag = consumer.currentLag(partition);
        return lag.isPresent() && lag.getAsLong() == 0;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        register(String.valueOf(config.get(ConsumerConfig.CLIENT_ID_CONFIG)), consumer);
        return consumer;
    }

    /** Keeps a stream thread's main consumer, which Kafka Streams names "&lt;thread name&gt;-consumer". */
    void register(String clientId, Consumer<byte[], byte[]> consumer) {
        if (clientId.endsWith(CONSUMER_SUFFIX)) {
            byThread.put(clientId.substring(0, clientId.length() - CONSUMER_SUFFIX.length()), consumer);
        }
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
