package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Milestone;
import io.exportcounter.testsupport.ContractSchemas;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One embedded broker for all integration tests of this module (they run in one failsafe JVM):
 * starting a broker per class would cost more than the tests themselves. Each test uses topics and a
 * consumer group of its own, named by a prefix.
 */
final class SharedBroker {
    private static TestKafka broker;

    private SharedBroker() {
    }

    static synchronized String bootstrap() {
        if (broker == null) {
            broker = KafkaBackend.start();
            TestKafka b = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "shared-broker-stop"));
        }
        return broker.bootstrapServers();
    }

    /** A notifier config for a test: its own topics and group, short retries, outbox in {@code dir}. */
    static Properties notifierProperties(String prefix, Path dir) {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", bootstrap());
        p.setProperty("kafka.group.id", prefix + "-notifier");
        // A notifier killed in a test is replaced quickly: its group session expires in 6 s (broker minimum).
        p.setProperty("kafka.session.timeout.ms", "6000");
        p.setProperty("kafka.heartbeat.interval.ms", "1000");
        p.setProperty("topics.milestones", prefix + ".milestones");
        p.setProperty("topics.forecasts", prefix + ".forecasts");
        p.setProperty("topics.delivered", prefix + ".delivered");
        p.setProperty("topics.dead-letter", prefix + ".dead");
        p.setProperty("retry.initial-backoff", "PT0.05S");
        p.setProperty("retry.max-backoff", "PT0.2S");
        p.setProperty("outbox.file", dir.resolve("notices.jsonl").toString());
        return p;
    }

    /** A forecast as stage 2 writes it: keyed {@code {year}|{dimension}|{member}}, stamped now (when it was made). */
    static void produce(String topic, Forecast f) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, f.key(), ContractJson.instance().write(f)));
            producer.flush();
        }
    }

    static void produce(String topic, Milestone m) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, m.milestoneId(), ContractJson.instance().write(m)));
            producer.flush();
        }
    }

    /** Everything committed on {@code topic} now, from the beginning; each record valid against its topic's JSON Schema. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return ContractSchemas.assertValid(out);
    }
}
