package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.order.StageOnePace;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances catch up on a backlog. The one that also runs stage 2 reads its partitions more slowly; without a
 * quota the other's tasks ran weeks ahead, stage 2 reached its cap of waiting entries and gave up acceptance order.
 * Here stage 2 hands out a quota through the pace topic, tasks of both instances are held back by it, and the order
 * holds throughout. (A backlog short enough for a test does not reach the cap without the quota either: that the
 * quota is what keeps a long one in order shows in the benchmark's two-instance run, docs/benchmarks.md.)
 */
class PacingAcrossInstancesIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void two_instances_on_a_backlog_are_held_to_a_quota_and_every_milestone_names_the_declaration_that_crossed(
            @TempDir Path state) throws Exception {
        // Given 2025 waiting on six partitions, and a stage 2 that may hold 160,000 entries for lagging tasks (the cap is to the rate of reading what it is in production)
        PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "pacing-it")
                .with("topics.partitions", "6")
                .with("order.max-waiting-entries", "160000")
                // Little read ahead of what a task processes, so that a paused partition stops soon.
                .with("streams.buffered.records.per.partition", "100")
                .with("streams.max.poll.records", "100");
        TradeYear year = OnBroker.backlog(broker.bootstrapServers(), config, TradeYear.of2025(20_000, Mix.ONE_EXPORTER));

        // When two instances count it
        List<Milestone> milestones = new ArrayList<>();
        try (PipelineRunner one = new PipelineRunner(config.with("streams.state.dir", dir(state, "one")));
                PipelineRunner two = new PipelineRunner(config.with("streams.state.dir", dir(state, "two")));
                KafkaTopics.Follower follower = new KafkaTopics.Follower(broker.bootstrapServers(), config.milestonesTopic())) {
            one.start();
            two.start();
            OnBroker.awaitMilestone(follower, milestones, "2025|NATIONAL|KR|700000000000", Duration.ofMinutes(4));

            // Then stage 2 never stopped waiting for a lagging task
            assertThat(one.stats().orderGivenUpCount() + two.stats().orderGivenUpCount()).isZero();
            // And tasks had their partitions held back on the way
            assertThat(one.stats().partitionsHeldBackCount() + two.stats().partitionsHeldBackCount()).isPositive();
        }
        // Under the quota stage 2 handed out
        List<StageOnePace> paces = KafkaTopics.readAll(broker.bootstrapServers(), config.stageOnePaceTopic()).stream()
                .map(r -> StageOnePace.decode(r.value())).toList();
        assertThat(paces).anyMatch(p -> p.quota().entries() == 160_000 * 3 / 4 / 6);
        // And each national threshold was crossed by the declaration that reached it in acceptance order
        year.assertNationalThresholdsCrossedInOrder(milestones);
    }

    private static String dir(Path state, String name) throws java.io.IOException {
        return Files.createDirectories(state.resolve(name)).toString();
    }
}
