package io.exportcounter.testsupport;

import io.exportcounter.contract.topics.MissingTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for integration tests: produce input, read output as a committed consumer would. */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    public static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** A producer with these client settings (bootstrap servers, and TLS and SASL on a secured cluster). */
    public static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p);
    }

    public static void produce(String bootstrap, String topic, List<RandomTrade.Event> events) {
        produce(producer(bootstrap), topic, events);
    }

    private static void produce(KafkaProducer<String, String> p, String topic, List<RandomTrade.Event> events) {
        try (KafkaProducer<String, String> producer = p) {
            for (RandomTrade.Event e : events) {
                producer.send(new ProducerRecord<>(topic, e.key(), e.json()));
            }
            producer.flush();
        }
    }

    /** Waits until every partition of {@code topics} takes writes (see {@link MissingTopics#awaitWritable}). */
    public static void awaitLeaders(String bootstrap, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            MissingTopics.awaitWritable(admin, topics, Duration.ofSeconds(60));
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics " + topics + " have no acting leaders after 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A read_committed consumer of a whole topic from the beginning, kept open to read on incrementally. Every
     * record it reads from an output topic is checked against the topic's JSON Schema
     * ({@link ContractSchemas#assertValid(ConsumerRecord)}): a record the contract does not allow fails the test.
     */
    public static final class Follower implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        public Follower(String bootstrap, String topic) {
            this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic);
        }

        /** As {@link #Follower(String, String)}, with these client settings (TLS and SASL on a secured cluster). */
        public Follower(Map<String, Object> client, String topic) {
            consumer = new KafkaConsumer<>(consumerProps(client), new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        /** Reads up to the end of what is committed now; each record valid against its topic's schema. */
        public List<ConsumerRecord<String, byte[]>> poll() {
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (consumer.assignment().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return ContractSchemas.assertValid(out);
        }

        /**
         * As {@link #poll()}, for at most {@code timeout}: what it read goes to {@code sink} (each record valid against
         * its topic's schema), and it says whether it got to the end, so that a test can follow a topic through an
         * outage of the cluster (where the end offsets cannot be asked).
         */
        public boolean poll(Duration timeout, java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
                while (consumer.assignment().stream().anyMatch(tp -> consumer.position(tp, left(deadline)) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                    consumer.poll(Duration.ofMillis(100)).forEach(batch::add);
                    ContractSchemas.assertValid(batch).forEach(sink);
                }
                return true;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return false;
            }
        }

        private static Duration left(long deadline) {
            return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static Properties consumerProps(Map<String, Object> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }

    /**
     * Everything committed on {@code topic} now, read from the beginning with read_committed; each record valid
     * against the topic's JSON Schema ({@link Follower}).
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        try (Follower f = new Follower(bootstrap, topic)) {
            return f.poll();
        }
    }

    /** As {@link #readAll(String, String)}, with these client settings. */
    public static List<ConsumerRecord<String, byte[]>> readAll(Map<String, Object> client, String topic) {
        try (Follower f = new Follower(client, topic)) {
            return f.poll();
        }
    }
}
