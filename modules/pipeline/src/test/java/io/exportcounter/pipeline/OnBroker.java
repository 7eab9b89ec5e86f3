package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.RandomTrade;
import io.exportcounter.testsupport.TradeYear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the pipeline's tests on a real broker share: their config, and reading and checking what the pipeline wrote. */
final class OnBroker {
    private OnBroker() {
    }

    /** The pipeline's defaults, on the broker at {@code bootstrap}, as the application {@code appId}. */
    static PipelineConfig config(String bootstrap, String appId) {
        return PipelineConfig.defaults()
                .with("streams.bootstrap.servers", bootstrap)
                .with("streams.application.id", appId);
    }

    /** The same, with its state in {@code stateDir} (created if missing). */
    static PipelineConfig config(String bootstrap, String appId, Path stateDir) throws IOException {
        return config(bootstrap, appId).with("streams.state.dir", Files.createDirectories(stateDir).toString());
    }

    /**
     * {@code year} waiting on the declarations topic before any pipeline starts (a backlog): the pipeline's topics are
     * created on the broker at {@code bootstrap} as {@code config} says, and the year is sent. Returns {@code year}.
     */
    static TradeYear backlog(String bootstrap, PipelineConfig config, TradeYear year) {
        PipelineRunner.createMissingTopics(config);
        year.sendTo(bootstrap, config.declarationsTopic());
        return year;
    }

    /** Reads the milestones from {@code follower} into {@code milestones} until the one with id {@code id} is among them. */
    static void awaitMilestone(KafkaTopics.Follower follower, List<Milestone> milestones, String id, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : follower.poll()) {
                milestones.add(ContractJson.instance().parseMilestone(r.value()));
            }
            return milestones.stream().anyMatch(m -> m.milestoneId().equals(id));
        });
    }

    /**
     * Follows {@code totalsTopic} (read_committed) until every total {@code trade}'s reference computation expects is
     * exact and {@code andThen} holds too; returns the latest value of each total read.
     */
    static Map<String, Total> awaitExactTotals(String bootstrap, String totalsTopic, RandomTrade trade, BooleanSupplier andThen) {
        Map<String, Total> actual = new HashMap<>();
        try (KafkaTopics.Follower totals = new KafkaTopics.Follower(bootstrap, totalsTopic)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : totals.poll()) {
                    actual.put(r.key(), ContractJson.instance().parseTotal(r.value()));
                }
                return trade.allExact(actual) && andThen.getAsBoolean();
            });
        }
        return actual;
    }

    /**
     * Every total {@code trade}'s reference computation expects is in {@code actual} (the latest value of each total),
     * exact to the cent, with as many declarations and, where the total counts them, exporters.
     */
    static void assertTotalsAsExpected(RandomTrade trade, Map<String, Total> actual) {
        for (Map.Entry<String, long[]> e : trade.expected.entrySet()) {
            Total t = actual.get(e.getKey());
            assertThat(t).as(e.getKey()).isNotNull();
            assertThat(Money.toCents(t.totalUsd())).as("cents of %s", e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(t.declarations()).as("declarations of %s", e.getKey()).isEqualTo(e.getValue()[1]);
            if (e.getValue()[2] >= 0) {
                assertThat(t.exporters()).as("exporters of %s", e.getKey()).isEqualTo(e.getValue()[2]);
            }
        }
    }
}
