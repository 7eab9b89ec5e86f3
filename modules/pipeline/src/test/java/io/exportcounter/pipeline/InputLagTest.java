package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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

    private static boolean onThread(String name, java.util.function.BooleanSupplier check) throws InterruptedException {
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(check.getAsBoolean()), name);
        t.start();
        t.join();
        return result.get();
    }
}
