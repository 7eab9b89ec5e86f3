package io.exportcounter.pipeline.kafkainternals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Whether a stage-1 task has read all its input partition holds, as its stream thread's consumer knows it.
 *
 * <p>A task that reads nothing for a while tells stage 2 it is idle, so that stage 2 stops waiting for it. Time
 * alone is not enough: during a catch-up a task's buffer often runs dry between two polls of a busy stream thread,
 * for longer than the idle time, while its partition still holds a backlog; taken for idle, the task would let
 * stage 2 apply the other tasks' later declarations first, and a milestone name a declaration hours off the one
 * that crossed. A task is idle only once its consumer has no record left for it, too.
 *
 * <p>Kafka Streams creates its clients through this supplier (the same clients its default supplier makes), which
 * keeps each stream thread's main consumer. {@link KafkaConsumer#currentLag} answers from what the consumer last
 * learned from the broker, without a request, and it is asked only on the consumer's own thread.
 *
 * <p>The main consumers also hold back partitions: before each poll, a consumer pauses the partitions the
 * {@link #holdBack} rule names (stage-1 tasks past stage 2's quota, see StageOneLeads), and resumes those it paused
 * that the rule no longer names. Kafka Streams pauses and resumes partitions too (a full buffer, a task not yet
 * running); a partition it resumes while the rule names it is paused again at the next poll.
 */
public final class InputLag implements KafkaClientSupplier {
    private static final String CONSUMER_SUFFIX = "-consumer";
    /** Main consumers by the name of the stream thread that owns them. */
    private final Map<String, Consumer<byte[], byte[]>> byThread = new ConcurrentHashMap<>();
    private volatile Predicate<TopicPartition> holdBack = partition -> false;

    /** Sets which partitions the main consumers fetch nothing more of for now (asked before every poll). */
    public void holdBack(Predicate<TopicPartition> rule) {
        this.holdBack = Objects.requireNonNull(rule);
    }

    /**
     * Whether the calling stream thread's consumer has handed Kafka Streams every record of {@code partition}
     * up to the end (for read_committed, the last stable offset). True where no consumer of this supplier runs
     * the calling thread (a TopologyTestDriver); false while the consumer does not know its lag yet, or has no
     * valid position for it (being validated after a leader change): then {@link #readTo} could not say how far.
     */
    public boolean caughtUp(TopicPartition partition) {
        Consumer<byte[], byte[]> consumer = byThread.get(Thread.currentThread().getName());
        if (consumer == null) {
            return true;
        }
        OptionalLong lag = consumer.currentLag(partition);
        return lag.isPresent() && lag.getAsLong() == 0 && positionOf(consumer, partition).isPresent();
    }

    /**
     * How far the calling stream thread's consumer has read {@code partition}: its position, the offset of the next
     * record it would fetch (with no lag, the end of the partition: for read_committed, the last stable offset).
     * Empty where no consumer of this supplier runs the calling thread (a TopologyTestDriver), or while the consumer
     * has no valid position for it. Answered from what the consumer knows, without waiting for the broker.
     */
    public OptionalLong readTo(TopicPartition partition) {
        Consumer<byte[], byte[]> consumer = byThread.get(Thread.currentThread().getName());
        return consumer == null ? OptionalLong.empty() : positionOf(consumer, partition);
    }

    private static OptionalLong positionOf(Consumer<byte[], byte[]> consumer, TopicPartition partition) {
        try {
            return OptionalLong.of(consumer.position(partition, Duration.ZERO));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            // Not assigned to it, or no position yet: the claim says nothing of how far.
            return OptionalLong.empty();
        }
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
        Consumer<byte[], byte[]> consumer = new MainConsumer(config, this);
        register(String.valueOf(config.get(ConsumerConfig.CLIENT_ID_CONFIG)), consumer);
        return consumer;
    }

    /** The consumer Kafka Streams' default supplier makes, holding back what the rule names. */
    private static final class MainConsumer extends KafkaConsumer<byte[], byte[]> {
        private final InputLag owner;
        private final HeldPartitions held = new HeldPartitions();

        MainConsumer(Map<String, Object> config, InputLag owner) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.owner = owner;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            held.apply(this, owner.holdBack);
            return super.poll(timeout);
        }
    }

    /** The partitions one consumer holds back, and how it pauses and resumes them before a poll. */
    static final class HeldPartitions {
        /** Partitions paused here (Kafka Streams may have resumed some since). */
        private Set<TopicPartition> held = Set.of();

        /** Pauses the assigned partitions the rule names; resumes those paused here that it no longer names. */
        void apply(Consumer<?, ?> consumer, Predicate<TopicPartition> rule) {
            Set<TopicPartition> assigned = consumer.assignment();
            Set<TopicPartition> hold = new HashSet<>();
            for (TopicPartition tp : assigned) {
                if (rule.test(tp)) {
                    hold.add(tp);
                }
            }
            if (hold.isEmpty() && held.isEmpty()) {
                return;
            }
            List<TopicPartition> release = new ArrayList<>();
            for (TopicPartition tp : held) {
                if (!hold.contains(tp) && assigned.contains(tp)) {
                    release.add(tp);
                }
            }
            consumer.resume(release);
            consumer.pause(hold);
            held = hold;
        }

        Set<TopicPartition> held() {
            return held;
        }
    }

    /** The stream threads whose main consumer it recognised by its client id (the canary test asks). */
    public int threadsKnown() {
        return byThread.size();
    }

    /**
     * Keeps a stream thread's main consumer, which Kafka Streams names "&lt;thread name&gt;-consumer". Public for tests
     * that drive a topology without Kafka Streams' consumers (TopologyTestDriver).
     */
    public void register(String clientId, Consumer<byte[], byte[]> consumer) {
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
