package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerInputEndsTest {
    private static final String TOPIC = "customs.export-declarations";
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ConsumerInputEnds ends = new ConsumerInputEnds(consumer, TOPIC, clock::get);

    @Test
    void reads_the_end_offsets_of_the_partitions_asked_for() {
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 40L, new TopicPartition(TOPIC, 2), 7L));
        assertThat(ends.endOffsets(Set.of(0, 2))).contains(Map.of(0, 40L, 2, 7L));
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2));
    }

    @Test
    void after_a_failure_it_answers_unknown_at_once_for_a_second_then_asks_again() {
        // Given a partition whose end cannot be read
        assertThat(ends.endOffsets(Set.of(1))).isEmpty();

        // When it can be, Then it is asked again only a second after the failure
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 1), 5L));
        clock.addAndGet(ConsumerInputEnds.RETRY_AFTER_FAILURE_MS - 1);
        assertThat(ends.endOffsets(Set.of(1))).isEmpty();
        clock.addAndGet(1);
        assertThat(ends.endOffsets(Set.of(1))).isEqualTo(Optional.of(Map.of(1, 5L)));
    }

    @Test
    void once_closed_it_answers_unknown() {
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 40L));
        ends.close();
        assertThat(ends.endOffsets(Set.of(0))).isEmpty();
    }
}
