package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.metrics.PipelineStats.Outcome;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.RandomTrade;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby replica of a stage-1 task keeps its ledger up to date (WarmLedgers): the instance that takes the task
 * over starts it without replaying the journal, and the ledger it starts with is whole, so that every declaration
 * it had seen is recognised when it comes again.
 */
class WarmStandbyLedgerIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void the_instance_taking_over_a_stage_one_task_starts_with_its_ledger_at_hand(@TempDir Path dir) throws Exception {
        RandomTrade trade = new RandomTrade(20261207L, 20_000);
        PipelineConfig config = standbyConfig(OnBroker.config(broker.bootstrapServers(), "warm-ledger-it"));
        PipelineRunner.createMissingTopics(config);
        KafkaTopics.produce(broker.bootstrapServers(), config.ratesTopic(), trade.rateEvents);
        List<RandomTrade.Event> events = trade.declarationEvents;
        List<RandomTrade.Event> firstHalf = events.subList(0, events.size() / 2);
        try (PipelineRunner survivor = new PipelineRunner(standbyConfig(
                OnBroker.config(broker.bootstrapServers(), "warm-ledger-it", dir.resolve("a"))));
                PipelineRunner leaving = new PipelineRunner(standbyConfig(
                        OnBroker.config(broker.bootstrapServers(), "warm-ledger-it", dir.resolve("b"))))) {
            // Given two instances, each with a standby of the other's tasks, that have counted half the declarations
            survivor.start();
            leaving.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> !activeTasks(survivor).isEmpty() && !activeTasks(leaving).isEmpty()
                    && survivor.streams().state() == KafkaStreams.State.RUNNING
                    && leaving.streams().state() == KafkaStreams.State.RUNNING);
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), firstHalf);
            await().atMost(Duration.ofMinutes(2)).until(() -> applied(survivor) + applied(leaving) >= firstHalf.size());
            long replayedBefore = survivor.stats().ledgerEntriesReplayedCount();
            // (the standbys follow the journals as the active tasks commit them)
            await().atMost(Duration.ofSeconds(30)).until(() -> survivor.warmLedgers().entriesReplayed() > 0);
            Thread.sleep(2_000);
            Set<String> all = new TreeSet<>(activeTasks(survivor));
            all.addAll(activeTasks(leaving));
            Set<String> takenOver = activeTasks(leaving);

            // When the other instance stops and its tasks move to the survivor
            leaving.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> activeTasks(survivor).containsAll(all)
                    && survivor.streams().state() == KafkaStreams.State.RUNNING);

            // Then the survivor started them without replaying their journals: at most the blocks committed after its
            // standbys' last update, far from the entries the tasks hold (without standbys kept warm, every one)
            long replayedAtTakeover = survivor.stats().ledgerEntriesReplayedCount() - replayedBefore;
            long keptWarm = survivor.warmLedgers().entriesReplayed();
            assertThat(takenOver).as("tasks the survivor took over").isNotEmpty();
            assertThat(replayedAtTakeover).as("ledger entries replayed when the survivor took over %s (kept warm: %d)", takenOver, keptWarm)
                    .isLessThan(keptWarm / 10);

            // And when every declaration of the first half comes again, with the second half, the totals stay exact:
            // the ledgers it started with knew every declaration counted before
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), firstHalf);
            KafkaTopics.produce(broker.bootstrapServers(), config.declarationsTopic(), events.subList(firstHalf.size(), events.size()));
            Map<String, Total> actual = OnBroker.awaitExactTotals(broker.bootstrapServers(), config.totalsTopic(), trade,
                    () -> true);
            OnBroker.assertTotalsAsExpected(trade, actual);
        }
    }

    private static PipelineConfig standbyConfig(PipelineConfig config) {
        return config.with("streams.num.standby.replicas", "1");
    }

    /** Declaration events this instance's stage-1 tasks have applied or found to change nothing. */
    private static long applied(PipelineRunner runner) {
        long n = 0;
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.RELEASED_FROM_WAITING) {
                n += runner.stats().count(o);
            }
        }
        return n;
    }

    private static Set<String> activeTasks(PipelineRunner runner) {
        Set<String> tasks = new TreeSet<>();
        for (ThreadMetadata t : runner.streams().metadataForLocalThreads()) {
            t.activeTasks().forEach(task -> tasks.add(task.taskId().toString()));
        }
        return tasks;
    }
}
