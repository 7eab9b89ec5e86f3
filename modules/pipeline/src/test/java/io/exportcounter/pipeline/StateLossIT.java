package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Total;
import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.RandomTrade;
import io.exportcounter.testsupport.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault tests on the pipeline's own state and on the broker: an instance that lost its state
 * directory restores from the changelogs, and a broker that goes down mid-replay loses and doubles
 * nothing. In both cases the totals end exactly where a reference computation says.
 */
class StateLossIT {

    @Test
    void an_instance_restarted_without_its_state_directory_restores_and_counts_on_exactly(@TempDir Path dir) throws Exception {
        RandomTrade trade = new RandomTrade(7L, 30_000);
        int half = trade.declarationEvents.size() / 2;
        try (TestKafka broker = KafkaBackend.start()) {
            Path state = dir.resolve("state");
            PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "state-loss-it", state);
            // Given a pipeline that counted the first half
            try (PipelineRunner pipeline = new PipelineRunner(config)) {
                pipeline.start();
                // (the pipeline has just created its topics)
                KafkaTopics.awaitLeaders(broker.bootstrapServers(), List.of(config.ratesTopic(), config.declarationsTopic()));
                KafkaTopics.produce(broker.bootstrapServers(), config.ratesTopic(), trade.rateEvents);
                KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), trade.declarationEvents.subList(0, half));
                awaitDeclarationsSeen(broker, config, half);
            }
            // When its state directory is deleted, it restarts, and the whole first half is redelivered
            // before the second half arrives
            deleteRecursively(state);
            try (PipelineRunner pipeline = new PipelineRunner(config)) {
                pipeline.start();
                KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), trade.declarationEvents.subList(0, half));
                KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(),
                        trade.declarationEvents.subList(half, trade.declarationEvents.size()));
                // Then it restored the ledgers from the changelogs: nothing of the first half counts twice
                assertTotalsMatch(broker.bootstrapServers(), config, trade);
            }
        }
    }

    @Test
    void a_broker_stopped_and_restarted_mid_replay_loses_and_doubles_nothing(@TempDir Path dir) throws Exception {
        assumeTrue(KafkaBackend.selected() == KafkaBackend.Kind.EMBEDDED, "Skipped on the " + KafkaBackend.selected()
                + " backend: this test stops the broker and restarts it on the same data directory, which only the"
                + " embedded broker does (-Dkafka.backend=embedded runs it)");
        RandomTrade trade = new RandomTrade(11L, 30_000);
        int half = trade.declarationEvents.size() / 2;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).build().start();
        int port = broker.port();
        PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "broker-restart-it", dir.resolve("state"));
        try (PipelineRunner pipeline = new PipelineRunner(config)) {
            pipeline.start();
            // (the pipeline has just created its topics)
            KafkaTopics.awaitLeaders(broker.bootstrapServers(), List.of(config.ratesTopic(), config.declarationsTopic()));
            KafkaTopics.produce(broker.bootstrapServers(), config.ratesTopic(), trade.rateEvents);
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), trade.declarationEvents.subList(0, half));
            // When the broker goes away while the pipeline is working, and comes back on the same data
            Thread.sleep(1_500);
            broker.stop();
            Thread.sleep(5_000);
            broker = EmbeddedKafkaBroker.builder().port(port).dataDir(dir.resolve("kafka")).build().start();
            // An idempotent producer, as customs systems would use: the restarted broker is ready only once it
            // leads every partition, so no first batch is refused while a later one is accepted.
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(),
                    trade.declarationEvents.subList(half, trade.declarationEvents.size()));
            // Then the totals are exact
            assertTotalsMatch(broker.bootstrapServers(), config, trade);
            assertThat(pipeline.fatalError()).isEmpty();
        } finally {
            broker.close();
        }
    }

    /** Waits until stage 1 has seen {@code events} input events (counted, duplicate, stale, waiting or cancelled). */
    private static void awaitDeclarationsSeen(TestKafka broker, PipelineConfig config, int events) {
        // The committed input offsets of the application tell how far it got.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                var offsets = admin.listConsumerGroupOffsets(config.streamsProperties().getProperty("application.id"))
                        .partitionsToOffsetAndMetadata().get();
                long committed = offsets.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(config.declarationsTopic()))
                        .mapToLong(e -> e.getValue().offset()).sum();
                return committed >= events;
            }
        });
    }

    private static void assertTotalsMatch(String bootstrap, PipelineConfig config, RandomTrade trade) {
        Map<String, Total> actual = new HashMap<>();
        try (KafkaTopics.Follower follower = new KafkaTopics.Follower(bootstrap, config.totalsTopic())) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : follower.poll()) {
                    actual.put(r.key(), ContractJson.instance().parseTotal(r.value()));
                }
                return trade.allExact(actual);
            });
        }
        OnBroker.assertTotalsAsExpected(trade, actual);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(dir).doesNotExist();
    }
}
