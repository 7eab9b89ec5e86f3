package io.exportcounter.pipeline.kafkainternals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.topics.MissingTopics;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams runs a {@link CommitHookStore}'s action before each commit, on a real broker with exactly-once:
 * what the action puts is in the committed changelog, though the processor never writes the store itself.
 * The store relies on Kafka Streams' internal {@code CachedStateStore}; this test catches a release that stops
 * flushing such stores before its commits.
 */
class CommitHookStoreIT {
    private static final String STORE = "hooked";
    private static final String INPUT = "commit-hook-input";
    private static final int RECORDS = 500;

    @Test
    void what_the_hook_puts_before_each_commit_is_in_the_committed_changelog(@TempDir Path state) throws Exception {
        String appId = "commit-hook-it-" + UUID.randomUUID().toString().substring(0, 8);
        String changelog = appId + "-" + STORE + "-changelog";
        try (TestKafka broker = KafkaBackend.start()) {
            MissingTopics.create(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    List.of(new NewTopic(INPUT, Optional.of(1), Optional.empty())), Duration.ofSeconds(30));
            // Given an application whose processor keeps its input in memory and puts it only in the hook
            try (KafkaStreams streams = new KafkaStreams(topology(), streamsProperties(broker.bootstrapServers(), appId, state))) {
                streams.start();
                await().atMost(Duration.ofMinutes(1)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

                // When records arrive
                List<String> values = IntStream.range(0, RECORDS).mapToObj(i -> "value-" + i).toList();
                try (KafkaProducer<String, String> producer = KafkaTopics.producer(broker.bootstrapServers())) {
                    for (String v : values) {
                        producer.send(new ProducerRecord<>(INPUT, "k", v));
                    }
                    producer.flush();
                }

                // Then the committed changelog eventually holds every value, in order, each once
                List<ConsumerRecord<Long, byte[]>> committed = new ArrayList<>();
                try (KafkaConsumer<Long, byte[]> consumer = committedReader(broker.bootstrapServers(), changelog)) {
                    await("all " + RECORDS + " values in the committed changelog " + changelog).atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofMillis(200)).until(() -> {
                                consumer.poll(Duration.ofMillis(200)).forEach(committed::add);
                                return decode(committed).size() >= RECORDS;
                            });
                }
                assertThat(decode(committed)).containsExactlyElementsOf(values);
                assertThat(committed).extracting(ConsumerRecord::key).doesNotHaveDuplicates().isSorted();
                // And they came grouped, one record per commit, not one per value
                assertThat(committed).as("changelog records").hasSizeLessThan(RECORDS);
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static org.apache.kafka.streams.Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(CommitHookStore.builder(STORE));
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String())).process(GroupingProcessor::new, STORE);
        return builder.build();
    }

    /** Appends each value to a list; the commit hook puts the list as one value under the next key. */
    private static final class GroupingProcessor implements Processor<String, String, Void, Void> {
        private final List<String> values = new ArrayList<>();
        private long nextKey;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            CommitHookStore store = context.getStateStore(STORE);
            try (KeyValueIterator<Long, byte[]> last = store.data().reverseAll()) {
                nextKey = last.hasNext() ? last.next().key + 1 : 0;
            }
            values.clear();
            store.beforeCommit(() -> {
                if (!values.isEmpty()) {
                    store.data().put(nextKey++, String.join("\n", values).getBytes(StandardCharsets.UTF_8));
                    values.clear();
                }
            });
        }

        @Override
        public void process(Record<String, String> record) {
            values.add(record.value());
        }
    }

    private static Properties streamsProperties(String bootstrap, String appId, Path state) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        return p;
    }

    private static KafkaConsumer<Long, byte[]> committedReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<Long, byte[]> consumer = new KafkaConsumer<>(p, new LongDeserializer(), new ByteArrayDeserializer());
        // The changelog exists once the application runs: Kafka Streams creates it at its first rebalance.
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static List<String> decode(List<ConsumerRecord<Long, byte[]>> grouped) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<Long, byte[]> r : grouped) {
            out.addAll(Arrays.asList(new String(r.value(), StandardCharsets.UTF_8).split("\n")));
        }
        return out;
    }
}
