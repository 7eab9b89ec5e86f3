package io.exportcounter.benchmarks;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.InvalidRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The limit: a plain {@link KafkaConsumer} that reads the whole declarations topic from the same broker and
 * parses and validates every record with the contract codec, doing nothing else. No stream processing
 * can beat it on this machine. Prints one line {@code RESULT records=N nanos=T cpu=C valid=V}.
 *
 * <p>Usage: {@code PlainConsumerMain BOOTSTRAP TOPIC}
 */
public final class PlainConsumerMain {
    private PlainConsumerMain() {
    }

    public static void main(String[] args) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // as the pipeline reads under exactly-once
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String topic = args[1];
        ContractJson json = ContractJson.instance();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long records = 0;
            long valid = 0;
            long started = 0;
            long startedCpu = 0;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (started == 0 && !batch.isEmpty()) {
                    started = System.nanoTime(); // from the first record: connection set-up is not reading
                    startedCpu = CatchUp.ownCpu();
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    records++;
                    try {
                        json.parseDeclaration(r.value());
                        valid++;
                    } catch (InvalidRecordException e) {
                        // A malformed record of the simulated mix: parsed, found invalid, as the pipeline does.
                    }
                }
            }
            System.out.printf("RESULT records=%d nanos=%d cpu=%d valid=%d%n", records, System.nanoTime() - started,
                    CatchUp.ownCpu() - startedCpu, valid);
        }
    }
}
