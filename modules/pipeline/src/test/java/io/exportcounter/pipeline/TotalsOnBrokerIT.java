package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.RandomTrade;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real broker, exactly-once: a shuffled random stream with amendments,
 * cancellations, redeliveries and four currencies must give totals that equal a plain-Java reference
 * computation to the cent, with the same declaration and exporter counts.
 */
class TotalsOnBrokerIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void random_declarations_on_six_partitions_give_exact_totals(@TempDir Path state) throws Exception {
        // Given 200,000 random declarations (5% amended, 2% cancelled, 10% redelivered, partly shuffled)
        RandomTrade trade = new RandomTrade(20251229L, 200_000);
        PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "totals-it", state.resolve("state"))
                .with("topics.partitions", "6");
        try (PipelineRunner pipeline = new PipelineRunner(config)) {
            pipeline.start();
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // When the first half of the rates is known before the declarations and the rest arrives after
            int half = trade.rateEvents.size() / 2;
            KafkaTopics.produce(broker.bootstrapServers(), config.ratesTopic(), trade.rateEvents.subList(0, half));
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), trade.declarationEvents);
            KafkaTopics.produce(broker.bootstrapServers(), config.ratesTopic(),
                    trade.rateEvents.subList(half, trade.rateEvents.size()));

            // Then every total read with read_committed equals the reference computation
            Map<String, Total> actual = OnBroker.awaitExactTotals(broker.bootstrapServers(), config.totalsTopic(), trade,
                    () -> pipeline.stats().waitingNow() == 0);
            OnBroker.assertTotalsAsExpected(trade, actual);
            actual.keySet().stream().filter(k -> !trade.expected.containsKey(k)).forEach(k ->
                    assertThat(actual.get(k).totalUsd().signum()).as("unexpected non-zero total %s", k).isZero());
            assertThat(KafkaTopics.readAll(broker.bootstrapServers(), config.rejectedTopic())).isEmpty();
        }
    }
}
