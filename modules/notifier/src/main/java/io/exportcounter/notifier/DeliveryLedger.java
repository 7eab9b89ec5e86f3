package io.exportcounter.notifier;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The delivery records: a compacted topic ({@code topics.delivered}) keyed
 * {@code <occurrence key>|<channel>}, one record per occurrence and channel once it is done (delivered,
 * or given up and dead-lettered). Read whole at start and again whenever the notifier is given the
 * milestones partition (another instance may have delivered meanwhile); written, and acknowledged by
 * every in-sync replica, right after a delivery and before the consumer offset is committed.
 *
 * <p>A tombstone (null value) for a key forgets it: the way for an operator to have a notice sent again.
 */
final class DeliveryLedger implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<String, byte[]> reader;
    private final DurableWriter writer;
    /** key -> outcome ({@code DELIVERED}, {@code DEAD_LETTERED}). */
    private final Map<String, String> done = new HashMap<>();
    private List<TopicPartition> partitions;

    DeliveryLedger(NotifierConfig config, DurableWriter writer) {
        this.topic = config.deliveredTopic();
        this.writer = writer;
        Properties p = config.consumerProperties();
        // A plain reader with assigned partitions: no group, nothing committed.
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-ledger-reader");
        this.reader = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads the whole topic. */
    void load() {
        // A topic created a moment ago may not be in this client's metadata yet: ask again for a while.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            partitions = reader.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            if (partitions.isEmpty()) {
                sleepQuietly(200);
            }
        } while (partitions.isEmpty() && System.nanoTime() < deadline);
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: create it (cleanup.policy=compact)"
                    + " or set topics.create-missing=true");
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        catchUp();
    }

    /** Reads what was written since the last read, up to the end of the topic now. */
    void catchUp() {
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, Duration.ofSeconds(60));
        while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.key() == null) {
                    continue;
                }
                if (r.value() == null) {
                    done.remove(r.key());
                } else {
                    done.put(r.key(), outcomeOf(r.value()));
                }
            }
        }
    }

    int size() {
        return done.size();
    }

    /** The outcome recorded for {@code key}, or null if nothing was done yet. */
    String outcome(String key) {
        return done.get(key);
    }

    /** Records that {@code key} is done; true once durable, false if the notifier stopped first. */
    boolean record(String key, byte[] value, String outcome) {
        if (!writer.write(new ProducerRecord<>(topic, key, value))) {
            return false;
        }
        done.put(key, outcome);
        return true;
    }

    private static String outcomeOf(byte[] value) {
        String outcome = Json.topLevelString(new String(value, java.nio.charset.StandardCharsets.UTF_8), "outcome");
        return outcome == null ? "DELIVERED" : outcome;
    }

    @Override
    public void close() {
        reader.close();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
