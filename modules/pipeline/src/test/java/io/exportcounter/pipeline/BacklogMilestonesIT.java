package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline that starts on a backlog (after an outage, or a first start on a full topic) reads its six
 * partitions at full speed, each stage-1 task at its own pace: one may be hours of acceptance time ahead
 * of another. The milestones must still name the declarations that crossed in acceptance order.
 */
class BacklogMilestonesIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void a_year_waiting_on_six_partitions_is_counted_at_full_speed_and_every_milestone_names_the_declaration_that_crossed(
            @TempDir Path state) throws Exception {
        // Given 2025 as it happened, already waiting on six partitions when the pipeline starts
        PipelineConfig config = OnBroker.config(broker.bootstrapServers(), "backlog-it", state.resolve("state"))
                .with("topics.partitions", "6");
        TradeYear year = OnBroker.backlog(broker.bootstrapServers(), config, TradeYear.of2025(4_000, Mix.ONE_EXPORTER));

        // When the pipeline starts and counts the backlog
        List<Milestone> milestones = new ArrayList<>();
        try (PipelineRunner pipeline = new PipelineRunner(config);
                KafkaTopics.Follower follower = new KafkaTopics.Follower(broker.bootstrapServers(), config.milestonesTopic())) {
            pipeline.start();
            OnBroker.awaitMilestone(follower, milestones, "2025|NATIONAL|KR|700000000000", Duration.ofMinutes(3));
        }

        // Then each national threshold is crossed once, by the declaration that reached it in acceptance order
        year.assertNationalThresholdsCrossedInOrder(milestones);
        // And $700B fell at 1:03 p.m. on December 29, as it did
        Milestone m700 = milestones.stream().filter(m -> m.milestoneId().equals("2025|NATIONAL|KR|700000000000")).findFirst().orElseThrow();
        assertThat(m700.crossedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(m700.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
    }
}
