package io.exportcounter.pipeline.kafkainternals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A stage-1 task asks its own stream thread's consumer whether it has read its partition to the end. */
class InputLagTest {
    private static final TopicPartition P0 = new TopicPartition("customs.export-declarations", 0);

    @Test
    void a_thread_whose_consumer_has_records_left_is_not_caught_up_until_it_reads_them() throws Exception {
        // Given the main consumer of stream thread "app-StreamThread-1", at offset 40 of a partition that ends at 100
        InputLag lag = new InputLag();
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0));
        consumer.updateEndOffsets(Map.of(P0, 100L));
        consumer.seek(P0, 40);
        lag.register("app-StreamThread-1-consumer", consumer);

        // Then on that thread the partition is not caught up, and it is once the consumer is at the end
        assertThat(onThread("app-StreamThread-1", () -> lag.caughtUp(P0))).isFalse();
        consumer.seek(P0, 100);
        assertThat(onThread("app-StreamThread-1", () -> lag.caughtUp(P0))).isTrue();
        // And another thread's consumer is never asked
        consumer.seek(P0, 40);
        assertThat(onThread("app-StreamThread-2", () -> lag.caughtUp(P0))).isTrue();
    }

    @Test
    void a_thread_with_no_consumer_of_its_own_counts_as_caught_up_as_under_a_topology_test_driver() throws Exception {
        InputLag lag = new InputLag();
        lag.register("app-StreamThread-1-restore-consumer", new MockConsumer<>("earliest"));
        assertThat(onThread("app-StreamThread-1", () -> lag.caughtUp(P0))).isTrue();
        assertThat(onThread("some-other-thread", () -> lag.caughtUp(P0))).isTrue();
    }

    @Test
    void a_consumer_pauses_the_partitions_held_back_and_resumes_only_those_it_paused_when_released() {
        // Given a consumer of partitions 0, 1 and 2, partition 2 paused by Kafka Streams (its buffer full)
        TopicPartition p1 = new TopicPartition(P0.topic(), 1);
        TopicPartition p2 = new TopicPartition(P0.topic(), 2);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0, p1, p2));
        consumer.pause(List.of(p2));
        InputLag.HeldPartitions held = new InputLag.HeldPartitions();
        Set<TopicPartition> rule = new HashSet<>(Set.of(P0));

        // When partition 0 is held back, before a poll
        held.apply(consumer, rule::contains);
        // Then it is paused, beside Kafka Streams' own
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, p2);

        // And one Kafka Streams resumes is paused again before the next poll
        consumer.resume(List.of(P0));
        held.apply(consumer, rule::contains);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, p2);

        // And once released it is resumed, while Kafka Streams' pause stays
        rule.clear();
        held.apply(consumer, rule::contains);
        assertThat(consumer.paused()).containsExactly(p2);
        assertThat(held.held()).isEmpty();
    }

    private static boolean onThread(String name, java.util.function.BooleanSupplier check) throws InterruptedException {
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(check.getAsBoolean()), name);
        t.start();
        t.join();
        return result.get();
    }
}
