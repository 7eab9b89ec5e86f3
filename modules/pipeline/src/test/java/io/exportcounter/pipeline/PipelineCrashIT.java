package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.Decl;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: the pipeline runs in its own JVM and is killed with SIGKILL several
 * times during the 2025 replay. A read_committed consumer of the milestones topic must see each
 * threshold CROSSED exactly once, and the final totals must be exact to the cent.
 */
class PipelineCrashIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void milestones_are_emitted_exactly_once_and_totals_stay_exact_when_the_pipeline_is_killed(@TempDir Path dir)
            throws Exception {
        // Given the pipeline in a separate JVM
        Properties props = new Properties();
        props.setProperty("streams.bootstrap.servers", broker.bootstrapServers());
        props.setProperty("streams.application.id", "crash-it");
        props.setProperty("streams.state.dir", Files.createDirectories(dir.resolve("state")).toString());
        // A killed member is noticed after the session timeout; keep it short so restarts are quick.
        props.setProperty("streams.session.timeout.ms", "6000");
        props.setProperty("streams.heartbeat.interval.ms", "1500");
        Path config = dir.resolve("pipeline.properties");
        try (var out = Files.newBufferedWriter(config)) {
            props.store(out, "crash test");
        }
        PipelineConfig pipelineConfig = PipelineConfig.load(config);
        PipelineRunner.createMissingTopics(pipelineConfig);
        Path log = Path.of("target", "crash-it-pipeline.log");
        Files.deleteIfExists(log);

        TradeYear year = TradeYear.of2025(120, Mix.ONE_EXPORTER);
        List<TradeYear.Declared> all = year.declarations;
        int crossing = all.indexOf(year.firstReaching(TradeYear.usd("700B")));
        long beforeCrossing = all.subList(0, crossing).stream().mapToLong(TradeYear.Declared::cents).sum();
        int kills = 0;
        current = JvmProcess.of(PipelineMain.class).args(config.toString()).logTo(log).start();
        try (KafkaProducer<String, String> producer = KafkaTopics.producer(broker.bootstrapServers());
                KafkaTopics.Follower follower = new KafkaTopics.Follower(broker.bootstrapServers(), pipelineConfig.totalsTopic())) {
            Map<String, Total> totals = new HashMap<>();
            // When the replay up to the crossing is produced in chunks, with a SIGKILL every few chunks
            kills += produceWithKills(producer, pipelineConfig, all.subList(0, crossing), 18, 6, config, log);
            // (the crossing is defined by the order stage 2 applies entries, so the crossing declaration
            // goes alone, once everything before it is counted)
            awaitNationalTotal(follower, totals, beforeCrossing);
            kills += produceWithKills(producer, pipelineConfig, all.subList(crossing, crossing + 1), 1, 1, config, log);
            awaitNationalTotal(follower, totals, beforeCrossing + all.get(crossing).cents());
            // and the rest of December follows, with another SIGKILL
            kills += produceWithKills(producer, pipelineConfig, all.subList(crossing + 1, all.size()), 6, 3, config, log);
            // Redeliver the whole December as well: nothing may count twice.
            for (TradeYear.Declared d : all) {
                if (d.decl().acceptedAt.startsWith("2025-12")) {
                    producer.send(new ProducerRecord<>(pipelineConfig.declarationsTopic(), d.decl().id, d.decl().json()));
                }
            }
            producer.flush();

            // Then the final totals are exact
            awaitNationalTotal(follower, totals, TradeYear.usd("709.7B"));
            assertThat(kills).isGreaterThanOrEqualTo(5);
            Map<String, Long> expectedMonths = new HashMap<>();
            for (TradeYear.Declared d : all) {
                expectedMonths.merge(d.decl().acceptedAt.substring(0, 7), d.cents(), Long::sum);
            }
            expectedMonths.forEach((month, cents) -> assertThat(Money.toCents(totals.get(month + "|NATIONAL|KR").totalUsd()))
                    .as(month).isEqualTo(cents));
            assertThat(totals.get("2025|NATIONAL|KR").declarations()).isEqualTo(all.size());

            // And each threshold was crossed exactly once, by the declaration the data says
            List<Milestone> milestones = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), pipelineConfig.milestonesTopic())) {
                milestones.add(ContractJson.instance().parseMilestone(r.value()));
            }
            assertThat(milestones).allMatch(m -> m.type() == MilestoneType.CROSSED);
            List<String> national = milestones.stream().filter(m -> m.kind() == MilestoneKind.THRESHOLD)
                    .map(Milestone::milestoneId).filter(id -> id.startsWith("2025|NATIONAL|KR|")).toList();
            assertThat(national).containsExactly("2025|NATIONAL|KR|100000000000", "2025|NATIONAL|KR|200000000000",
                    "2025|NATIONAL|KR|300000000000", "2025|NATIONAL|KR|400000000000", "2025|NATIONAL|KR|500000000000",
                    "2025|NATIONAL|KR|600000000000", "2025|NATIONAL|KR|700000000000");
            assertThat(milestones.stream().map(Milestone::milestoneId).distinct().count()).isEqualTo(milestones.size());
            Milestone m700 = milestones.stream().filter(m -> m.milestoneId().equals("2025|NATIONAL|KR|700000000000"))
                    .findFirst().orElseThrow();
            assertThat(m700.crossedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
            assertThat(m700.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
            // The records of contract v2, each once across the kills, against the published history.
            assertThat(milestones).filteredOn(m -> m.kind() == MilestoneKind.ANNUAL_RECORD).extracting(Milestone::milestoneId)
                    .containsExactly("2025|NATIONAL|KR|ANNUAL_RECORD");
            assertThat(milestones).filteredOn(m -> m.kind() == MilestoneKind.CALENDAR_MONTH_RECORD)
                    .extracting(m -> m.period() + " " + m.story().streak()).containsExactly("2025-04 1", "2025-06 1",
                            "2025-07 2", "2025-08 3", "2025-09 4", "2025-10 5", "2025-11 6", "2025-12 7");
            assertThat(m700.story().firstTime()).isTrue();
        } finally {
            current.close();
        }
    }

    /** The pipeline instance running now; each kill replaces it. */
    private JvmProcess current;

    private int produceWithKills(KafkaProducer<String, String> producer, PipelineConfig pipelineConfig,
            List<TradeYear.Declared> declarations, int chunks, int killEvery, Path config, Path log) throws Exception {
        int kills = 0;
        for (int c = 0; c < chunks; c++) {
            for (int i = c * declarations.size() / chunks; i < (c + 1) * declarations.size() / chunks; i++) {
                Decl d = declarations.get(i).decl();
                producer.send(new ProducerRecord<>(pipelineConfig.declarationsTopic(), d.id, d.json()));
            }
            producer.flush();
            Thread.sleep(1_000);
            if (c % killEvery == killEvery - 1) {
                current.kill();
                kills++;
                current = JvmProcess.of(PipelineMain.class).args(config.toString()).logTo(log).start();
            }
        }
        return kills;
    }

    private static void awaitNationalTotal(KafkaTopics.Follower follower, Map<String, Total> totals, long cents) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : follower.poll()) {
                totals.put(r.key(), ContractJson.instance().parseTotal(r.value()));
            }
            Total t = totals.get("2025|NATIONAL|KR");
            return t != null && Money.toCents(t.totalUsd()) == cents;
        });
    }
}
