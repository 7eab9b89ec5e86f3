package io.exportcounter.pipeline.kafkainternals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.topics.MissingTopics;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary for {@link InputLag}'s assumption that Kafka Streams names each stream thread's main consumer
 * {@code <thread name>-consumer} and makes it through the {@code KafkaClientSupplier}: with two stream threads on a
 * real broker, it must recognise two main consumers. A release that names them otherwise fails here, not as
 * stage-1 tasks that never say they are idle.
 */
class InputLagCanaryIT {
    private static final String INPUT = "input-lag-canary";

    @Test
    void kafka_streams_makes_one_main_consumer_per_stream_thread_named_after_it(@TempDir Path state) {
        try (TestKafka broker = KafkaBackend.start()) {
            MissingTopics.create(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    List.of(new NewTopic(INPUT, Optional.of(2), Optional.empty())), Duration.ofSeconds(30));
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> { });
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "input-lag-canary-" + UUID.randomUUID().toString().substring(0, 8));
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
            p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            InputLag inputLag = new InputLag();

            try (KafkaStreams streams = new KafkaStreams(builder.build(), p, inputLag)) {
                streams.start();
                await().atMost(Duration.ofMinutes(1)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

                assertThat(inputLag.threadsKnown()).isEqualTo(2);
            }
        }
    }
}
