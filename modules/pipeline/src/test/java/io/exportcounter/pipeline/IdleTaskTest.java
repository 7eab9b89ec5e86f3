package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.kafkainternals.InputLag;
import io.exportcounter.testsupport.Decl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A stage-1 task that stops reading tells stage 2 it is idle, so that stage 2 stops waiting for it, but only once
 * its consumer has handed over everything its partition holds: during a catch-up a task's buffer runs dry between
 * polls while the backlog is still there.
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

    /** An InputLag whose consumer, for the calling thread (the driver's), has {@code lag} records left everywhere. */
    private static InputLag lagOfThisThread(long lag) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        List<TopicPartition> partitions = List.of(new TopicPartition(CONFIG.declarationsTopic(), 0));
        consumer.assign(partitions);
        consumer.updateEndOffsets(Map.of(partitions.get(0), 1_000L));
        consumer.seek(partitions.get(0), 1_000L - lag);
        InputLag inputLag = new InputLag();
        inputLag.register(Thread.currentThread().getName() + "-consumer", consumer);
        return inputLag;
    }

    private static List<Boolean> idleFlags(List<ChangeCodec.Batch> batches) {
        return batches.stream().map(b -> b.position().idle()).toList();
    }
}
