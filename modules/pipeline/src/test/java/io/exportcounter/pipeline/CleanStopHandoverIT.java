package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance stopped cleanly leaves the group: the other one takes its tasks at once, not after the session timeout
 * (45 s by default, left so here), and an instance started again in its place after a lost disk needs not wait either.
 */
class CleanStopHandoverIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void a_cleanly_stopped_instance_hands_its_tasks_over_well_within_the_session_timeout(@TempDir Path dir) throws Exception {
        PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "clean-stop-it");
        PipelineRunner.createMissingTopics(config);
        try (PipelineRunner first = new PipelineRunner(OnBroker.config(broker.bootstrapServers(), "clean-stop-it", dir.resolve("a")));
                PipelineRunner second = new PipelineRunner(OnBroker.config(broker.bootstrapServers(), "clean-stop-it", dir.resolve("b")))) {
            // Given two instances that share the work
            first.start();
            second.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> !activeTasks(first).isEmpty() && !activeTasks(second).isEmpty()
                    && first.streams().state() == KafkaStreams.State.RUNNING && second.streams().state() == KafkaStreams.State.RUNNING);
            Set<String> all = new TreeSet<>(activeTasks(first));
            all.addAll(activeTasks(second));

            // When the second one is stopped as an operator stops it
            long stopped = System.nanoTime();
            second.close();

            // Then the first one runs every task long before the 45-second session timeout could have told the group
            await().atMost(Duration.ofSeconds(20)).until(() -> activeTasks(first).containsAll(all)
                    && first.streams().state() == KafkaStreams.State.RUNNING);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(20));
        }
    }

    private static Set<String> activeTasks(PipelineRunner runner) {
        Set<String> tasks = new TreeSet<>();
        for (ThreadMetadata t : runner.streams().metadataForLocalThreads()) {
            t.activeTasks().forEach(task -> tasks.add(task.taskId().toString()));
        }
        return tasks;
    }
}
