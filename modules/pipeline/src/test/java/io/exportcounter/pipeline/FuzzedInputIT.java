package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Rejection;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.Decl;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 records of which 10% are garbage: random bytes, truncated JSON, wrong types, boundary
 * numbers, huge strings. Every garbage record must be on the rejected topic, every valid one counted,
 * and the pipeline must keep running.
 */
class FuzzedInputIT {

    @Test
    void garbage_is_rejected_record_by_record_and_everything_valid_is_counted(@TempDir Path dir) throws Exception {
        try (TestKafka broker = KafkaBackend.start()) {
            PipelineConfig config = PipelineConfig.defaults()
                    .with("streams.bootstrap.servers", broker.bootstrapServers())
                    .with("streams.application.id", "fuzz-it")
                    .with("streams.state.dir", Files.createDirectories(dir.resolve("state")).toString());
            Random rnd = new Random(42);
            Set<String> garbageKeys = new HashSet<>();
            Set<String> sendFailures = java.util.concurrent.ConcurrentHashMap.newKeySet();
            long expectedCents = 0;
            int valid = 0;
            try (PipelineRunner pipeline = new PipelineRunner(config)) {
                pipeline.start();
                assertThat(pipeline.awaitRunning(Duration.ofSeconds(90))).isTrue();

                // Given 90,000 valid USD declarations and 10,000 garbage records, interleaved
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
                p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 100_000; i++) {
                        String key = "F-" + i;
                        byte[] value;
                        if (i % 10 == 7) {
                            value = garbage(rnd, key);
                            garbageKeys.add(key);
                        } else {
                            long cents = 1 + rnd.nextInt(100_000_000);
                            expectedCents += cents;
                            valid++;
                            value = Decl.accept(key).amount("USD", Money.format(cents)).json().getBytes(StandardCharsets.UTF_8);
                        }
                        producer.send(new ProducerRecord<>(config.declarationsTopic(), key.getBytes(StandardCharsets.UTF_8), value),
                                (meta, error) -> {
                                    if (error != null) {
                                        sendFailures.add(key + ": " + error);
                                    }
                                });
                    }
                }
                assertThat(sendFailures).as("records the test could not produce").isEmpty();

                // Then the valid ones add up exactly and every garbage record is rejected, by key
                long expected = expectedCents;
                int expectedCount = valid;
                Map<String, Total> totals = new HashMap<>();
                try (KafkaTopics.Follower follower = new KafkaTopics.Follower(broker.bootstrapServers(), config.totalsTopic())) {
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        for (ConsumerRecord<String, byte[]> r : follower.poll()) {
                            totals.put(r.key(), ContractJson.instance().parseTotal(r.value()));
                        }
                        Total t = totals.get("2025|NATIONAL|KR");
                        return t != null && t.declarations() == expectedCount;
                    });
                }
                assertThat(Money.toCents(totals.get("2025|NATIONAL|KR").totalUsd())).isEqualTo(expected);
                Set<String> rejectedKeys = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.rejectedTopic())) {
                    Rejection rejection = ContractJson.instance().parseRejection(r.value());
                    assertThat(rejection.reason()).isNotBlank();
                    assertThat(rejection.value() != null || rejection.valueBase64() != null).isTrue();
                    rejectedKeys.add(r.key());
                }
                Set<String> missing = new HashSet<>(garbageKeys);
                missing.removeAll(rejectedKeys);
                Set<String> unexpected = new HashSet<>(rejectedKeys);
                unexpected.removeAll(garbageKeys);
                assertThat(missing).as("garbage records not rejected").isEmpty();
                assertThat(unexpected).as("valid records rejected").isEmpty();
                assertThat(rejectedKeys).hasSize(garbageKeys.size());
                assertThat(pipeline.streams().state().isRunningOrRebalancing()).isTrue();
            }
        }
    }

    /** One of many kinds of broken record; never a valid declaration. */
    static byte[] garbage(Random rnd, String key) {
        String valid = Decl.accept(key).json();
        switch (rnd.nextInt(10)) {
            case 0: {
                byte[] b = new byte[1 + rnd.nextInt(300)];
                rnd.nextBytes(b);
                b[0] = (byte) 0xFF; // never valid UTF-8, so never valid JSON by accident
                return b;
            }
            case 1:
                return valid.substring(0, 1 + rnd.nextInt(valid.length() - 2)).getBytes(StandardCharsets.UTF_8);
            case 2:
                return valid.replace("\"revision\":0", "\"revision\":\"zero\"").getBytes(StandardCharsets.UTF_8);
            case 3:
                return valid.replace("\"1000.00\"", "1000.00").getBytes(StandardCharsets.UTF_8);
            case 4:
                return valid.replace("\"1000.00\"", "\"9999999999999999.99\"").getBytes(StandardCharsets.UTF_8);
            case 5:
                return valid.replace("\"revision\":0", "\"revision\":2147483648").getBytes(StandardCharsets.UTF_8);
            case 6:
                return valid.replace("1208812345", "X".repeat(10_000 + rnd.nextInt(90_000))).getBytes(StandardCharsets.UTF_8);
            case 7:
                return valid.replace("\"US\"", "[\"US\"]").getBytes(StandardCharsets.UTF_8);
            case 8:
                return new byte[0];
            default:
                return valid.replace("\"1000.00\"", "\"0.00001\"").getBytes(StandardCharsets.UTF_8);
        }
    }
}
