package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.topics.MissingTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissingTopicsIT {
    private TestKafka broker;
    private Map<String, Object> admin;

    @BeforeAll
    void start() {
        broker = KafkaBackend.start();
        admin = Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @Test
    void creates_only_what_is_missing_with_its_settings_and_returns_when_every_partition_takes_writes() throws Exception {
        // Given one of two topics already there, with another partition count
        MissingTopics.create(admin, List.of(new NewTopic("mt.existing", Optional.of(2), Optional.empty())), Duration.ofSeconds(30));

        // When both are asked for
        var created = MissingTopics.create(admin, List.of(
                new NewTopic("mt.existing", Optional.of(6), Optional.empty()),
                new NewTopic("mt.new", Optional.of(8), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))),
                Duration.ofSeconds(30));

        // Then only the missing one is created, as asked, and the existing one is left alone
        assertThat(created).containsExactly("mt.new");
        try (Admin client = Admin.create(admin)) {
            Map<String, TopicDescription> topics = client.describeTopics(List.of("mt.existing", "mt.new")).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics.get("mt.existing").partitions()).hasSize(2);
            assertThat(topics.get("mt.new").partitions()).hasSize(8);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "mt.new");
            Config config = client.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        // and an idempotent producer with several batches in flight can write to every partition at once
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int p = 0; p < 8; p++) {
                    sent.add(producer.send(new ProducerRecord<>("mt.new", p, "k" + p, "v" + round)));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS).offset()).isNotNegative();
            }
        }
        // and asking again creates nothing
        assertThat(MissingTopics.create(admin, List.of(new NewTopic("mt.new", Optional.of(8), Optional.empty())),
                Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void a_topic_kafka_refuses_is_named() {
        assertThatThrownBy(() -> MissingTopics.create(admin,
                List.of(new NewTopic("mt.too-many-replicas", Optional.of(1), Optional.of((short) 5))), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mt.too-many-replicas");
    }
}
