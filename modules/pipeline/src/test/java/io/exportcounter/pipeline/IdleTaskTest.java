package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.kafkainternals.InputLag;
import io.exportcounter.pipeline.order.InputEnds;
import io.exportcounter.testsupport.Decl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A stage-1 task that stops reading tells stage 2 it is idle, so that stage 2 stops waiting for it, but only once
 * its consumer has handed over everything its partition holds: during a catch-up a task's buffer runs dry between
 * polls while the backlog is still there. The claim says how far the consumer had read the partition, and stage 2
 * takes it only while the partition ends there.
 */
class IdleTaskTest {
    private static final PipelineConfig CONFIG = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092");
    private static final Duration STEP = Duration.ofMillis(20);

    @Test
    void a_task_that_has_read_its_partition_to_the_end_says_it_is_idle_once_after_a_quarter_of_a_second_without_reads() {
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG, lagOfThisThread(0))) {
            // Given a task that read a declaration and has nothing more to read
            pipeline.send(Decl.accept("D-1").amount("USD", "100.00"));

            // When 100 ms pass without a read, it has sent its entry but is not idle; by 400 ms it is, once
            pipeline.advance(Duration.ofMillis(100), STEP);
            List<ChangeCodec.Batch> first = pipeline.batchesSent();
            assertThat(first).isNotEmpty();
            assertThat(idleFlags(first)).doesNotContain(true);
            pipeline.advance(Duration.ofMillis(300), STEP);
            assertThat(idleFlags(pipeline.batchesSent())).containsExactly(true);
            pipeline.advance(Duration.ofMillis(500), STEP);
            assertThat(pipeline.batchesSent()).isEmpty();

            // And a new read ends it: the next batch is not idle
            pipeline.send(Decl.accept("D-2").amount("USD", "50.00"));
            pipeline.advance(Duration.ofMillis(100), STEP);
            assertThat(idleFlags(pipeline.batchesSent())).isNotEmpty().doesNotContain(true);
        }
    }

    @Test
    void a_task_whose_consumer_still_has_records_for_it_never_says_it_is_idle() {
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG, lagOfThisThread(500))) {
            // Given a task that read a declaration, while its consumer has 500 more records of its partition
            pipeline.send(Decl.accept("D-1").amount("USD", "100.00"));

            // When seconds pass without a read, Then it never says it is idle
            pipeline.advance(Duration.ofSeconds(3), STEP);
            assertThat(idleFlags(pipeline.batchesSent())).doesNotContain(true);
        }
    }

    @Test
    void an_idle_claim_says_how_far_the_consumer_had_read_the_partition() {
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG, lagOfThisThread(0))) {
            pipeline.send(Decl.accept("D-1").amount("USD", "100.00"));
            pipeline.advance(Duration.ofMillis(400), STEP);
            assertThat(pipeline.batchesSent()).last().extracting(ChangeCodec.Batch::position)
                    .satisfies(p -> assertThat(p.idle()).isTrue())
                    .satisfies(p -> assertThat(p.readTo()).isEqualTo(1_000L));
        }
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG)) {
            // Without a consumer to ask (nothing registered for the driver's thread) the claim does not say
            pipeline.send(Decl.accept("D-1").amount("USD", "100.00"));
            pipeline.advance(Duration.ofMillis(400), STEP);
            assertThat(pipeline.batchesSent()).last().extracting(ChangeCodec.Batch::position)
                    .satisfies(p -> assertThat(p.idle()).isTrue())
                    .satisfies(p -> assertThat(p.readTo()).isEqualTo(ChangeCodec.Position.UNKNOWN_OFFSET));
        }
    }

    @Test
    void stage_two_waits_for_an_idle_task_whose_partition_has_grown_past_its_claim() {
        // Given a task that read a declaration at 1 p.m., then its partition to the end (offset 1,000), and said it is
        // idle, while its partition has meanwhile grown by a record it has not read (end offset 1,001)
        MockConsumer<byte[], byte[]> consumer = consumerAt(1_000L, 1_000L);
        Map<Integer, Long> ends = new HashMap<>(Map.of(0, 1_001L));
        List<Set<Integer>> asked = new ArrayList<>();
        InputEnds inputEnds = partitions -> {
            asked.add(partitions);
            return Optional.of(Map.copyOf(ends));
        };
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG, registered(consumer), inputEnds)) {
            pipeline.send(Decl.accept("D-1").at("2025-12-29T13:00:00+09:00").amount("USD", "100.00"));
            pipeline.advance(Duration.ofSeconds(1), STEP);

            // Then stage 2 does not take the claim: the declaration waits, as for a task still reading
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isNull();
            assertThat(asked).isNotEmpty().allMatch(p -> p.equals(Set.of(0)));
            int readsWhileWaiting = asked.size();

            // And with no batch arriving, it does not read the end offsets again
            pipeline.advance(Duration.ofSeconds(1), STEP);
            assertThat(asked).hasSize(readsWhileWaiting);

            // When the consumer reaches the new end without handing over a record (an aborted transaction), the task
            // claims the new offset, and stage 2, checking again, applies the declaration
            consumer.updateEndOffsets(Map.of(PARTITION_0, 1_001L));
            consumer.seek(PARTITION_0, 1_001L);
            pipeline.advance(Duration.ofMillis(200), STEP);
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("100.00");
        }
    }

    @Test
    void stage_two_takes_an_idle_claim_while_the_partition_ends_where_the_task_had_read() {
        InputEnds inputEnds = partitions -> Optional.of(Map.of(0, 1_000L));
        try (PipelineHarness pipeline = new PipelineHarness(CONFIG, registered(consumerAt(1_000L, 1_000L)), inputEnds)) {
            pipeline.send(Decl.accept("D-1").at("2025-12-29T13:00:00+09:00").amount("USD", "100.00"));
            pipeline.advance(Duration.ofMillis(400), STEP);
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("100.00");
        }
    }

    private static final TopicPartition PARTITION_0 = new TopicPartition(CONFIG.declarationsTopic(), 0);

    /** An InputLag whose consumer, for the calling thread (the driver's), has {@code lag} records left everywhere. */
    private static InputLag lagOfThisThread(long lag) {
        return registered(consumerAt(1_000L - lag, 1_000L));
    }

    /** A consumer of partition 0 at {@code position}, which it knows ends at {@code end}. */
    private static MockConsumer<byte[], byte[]> consumerAt(long position, long end) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(PARTITION_0));
        consumer.updateEndOffsets(Map.of(PARTITION_0, end));
        consumer.seek(PARTITION_0, position);
        return consumer;
    }

    /** An InputLag with {@code consumer} as the calling thread's (the driver's) main consumer. */
    private static InputLag registered(MockConsumer<byte[], byte[]> consumer) {
        InputLag inputLag = new InputLag();
        inputLag.register(Thread.currentThread().getName() + "-consumer", consumer);
        return inputLag;
    }

    private static List<Boolean> idleFlags(List<ChangeCodec.Batch> batches) {
        return batches.stream().map(b -> b.position().idle()).toList();
    }
}
