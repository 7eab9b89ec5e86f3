package io.exportcounter.serving;

import static org.awaitility.Awaitility.await;

import io.exportcounter.pipeline.PipelineRunner;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** Waits on the pipeline instances a serving test runs. */
final class Runners {
    private Runners() {
    }

    /** Waits until two pipeline instances run as one group, each knowing the other (for forwarding). */
    static void awaitGroupOfTwo(PipelineRunner a, PipelineRunner b) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING
                        && a.streams().metadataForAllStreamsClients().size() == 2
                        && b.streams().metadataForAllStreamsClients().size() == 2);
    }
}
