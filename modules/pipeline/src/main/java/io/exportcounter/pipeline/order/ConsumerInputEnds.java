package io.exportcounter.pipeline.order;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InputEnds} from a consumer of its own: read_committed, so an end offset is a last stable offset, the offset
 * a caught-up stage-1 consumer's position reaches. It never polls: its partitions are assigned only so that it keeps
 * their metadata, and each read is one {@code endOffsets} request per leader, with a short timeout, since it holds up
 * stage 2's stream thread. After a failure it asks again no sooner than a second later (until then it answers
 * "unknown" at once), and logs one WARN line per failure streak.
 */
public final class ConsumerInputEnds implements InputEnds, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerInputEnds.class);
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final long RETRY_AFTER_FAILURE_MS = 1_000;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final LongSupplier clockMs;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private boolean failing;
    private long failedAtMs;
    private boolean closed;

    ConsumerInputEnds(Consumer<byte[], byte[]> consumer, String topic, LongSupplier clockMs) {
        this.consumer = consumer;
        this.topic = topic;
        this.clockMs = clockMs;
    }

    /**
     * @param consumerSettings the pipeline's own consumer settings (servers, TLS, SASL, ...); group, client id and
     *                         isolation settings among them are replaced
     * @param clientId         the consumer's client id
     */
    public static ConsumerInputEnds create(Map<String, Object> consumerSettings, String topic, String clientId) {
        Map<String, Object> props = new HashMap<>(consumerSettings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return new ConsumerInputEnds(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                topic, System::currentTimeMillis);
    }

    @Override
    public synchronized Optional<Map<Integer, Long>> endOffsets(Set<Integer> partitions) {
        if (closed || (failing && clockMs.getAsLong() - failedAtMs < RETRY_AFTER_FAILURE_MS)) {
            return Optional.empty();
        }
        Set<TopicPartition> wanted = new HashSet<>();
        for (int p : partitions) {
            wanted.add(new TopicPartition(topic, p));
        }
        try {
            if (!assigned.containsAll(wanted)) {
                assigned.addAll(wanted);
                consumer.assign(assigned);
            }
            Map<TopicPartition, Long> read = consumer.endOffsets(wanted, TIMEOUT);
            Map<Integer, Long> ends = new HashMap<>();
            read.forEach((tp, end) -> {
                if (end != null) {
                    ends.put(tp.partition(), end);
                }
            });
            if (failing) {
                log.info("Stage 2 reads the end offsets of {} again: it checks idle stage-1 tasks' claims again", topic);
                failing = false;
            }
            return Optional.of(ends);
        } catch (KafkaException | IllegalStateException e) {
            if (!failing) {
                log.warn("Stage 2 could not read the end offsets of {} ({}); it waits for idle stage-1 tasks as for"
                        + " reading ones until it can", topic, e.toString());
            }
            failing = true;
            failedAtMs = clockMs.getAsLong();
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
