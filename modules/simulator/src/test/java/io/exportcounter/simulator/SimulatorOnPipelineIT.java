package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.ContractSchemas;
import io.exportcounter.testsupport.KafkaPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the real pipeline on a real broker: a small 2025 (20,000 declarations, paced by
 * rate, slow motion before the crossing) must give the calibrated totals to the cent and the $700B
 * milestone "as of 1:03 p.m." on December 29.
 */
class SimulatorOnPipelineIT {
    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    @Test
    void a_simulated_2025_gives_the_calibrated_totals_and_the_700_billion_milestone(@TempDir Path state) throws Exception {
        PipelineConfig config = PipelineConfig.defaults()
                .with("streams.bootstrap.servers", broker.bootstrapServers())
                .with("streams.application.id", "simulator-it")
                .with("streams.state.dir", Files.createDirectories(state.resolve("state")).toString())
                .with("topics.partitions", "6");
        SimulatorOptions options = SimulatorOptions.builder()
                .declarations(20_000)
                .seed(2025)
                .rate(4_000)
                .slowMotionSpeed(300) // the half hour before the crossing in 6 s
                .progress(false)
                .bootstrapServers(broker.bootstrapServers())
                .build();
        Calibration calibration = Calibration.of(options);
        long annual = calibration.annualCents();

        try (PipelineRunner pipeline = new PipelineRunner(config)) {
            pipeline.start();
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();

            List<Progress> progress = new ArrayList<>();
            List<Progress> slowMotion = new ArrayList<>();
            SimulationSummary summary = Simulator.run(options, new ProgressListener() {
                @Override
                public void onProgress(Progress p) {
                    progress.add(p);
                }

                @Override
                public void onSlowMotion(Progress p) {
                    // A loaded machine can leave the pipeline minutes behind (a demo can do the same): let it apply
                    // everything sent so far before the crossing, so that it applies the crossing in order.
                    slowMotion.add(p);
                    awaitNational(config, p.runningTotalCents());
                }
            });

            assertThat(summary.completed()).isTrue();
            assertThat(summary.count(SimEvent.Kind.ACCEPT)).isEqualTo(20_000);
            assertThat(summary.finalTotalCents()).isEqualTo(annual).isEqualTo(70_970_000_000_000L);
            assertThat(summary.crossingDeclarationId()).isNotNull();
            assertThat(progress).isNotEmpty().anySatisfy(p -> assertThat(p.slowMotion()).isTrue());
            assertThat(slowMotion).singleElement().satisfies(p -> assertThat(p.runningTotalCents()).isBetween(
                    69_900_000_000_000L, 70_000_000_000_000L - 1));

            Map<String, Total> totals = awaitNational(config, annual, () -> pipeline.stats().waitingNow() == 0);
            long[] months = calibration.monthTargetsCents();
            for (int m = 1; m <= 12; m++) {
                Total t = totals.get(String.format("2025-%02d|NATIONAL|KR", m));
                assertThat(t).as("month %d", m).isNotNull();
                assertThat(Money.toCents(t.totalUsd())).as("cents of month %d", m).isEqualTo(months[m - 1]);
            }

            List<Milestone> all = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : Reader.readAll(broker.bootstrapServers(), config.milestonesTopic())) {
                all.add(ContractJson.instance().parseMilestone(r.value()));
            }
            List<Milestone> crossings = all.stream().filter(x -> x.milestoneId().equals("2025|NATIONAL|KR|700000000000")).toList();
            assertThat(crossings).hasSize(1);
            Milestone m = crossings.get(0);
            assertThat(m.type()).isEqualTo(MilestoneType.CROSSED);
            assertThat(m.crossedAt().atZoneSameInstant(ZoneId.of("Asia/Seoul")).toLocalDate()).isEqualTo(LocalDate.of(2025, 12, 29));
            assertThat(m.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
            assertThat(m.declarationId()).isEqualTo(summary.crossingDeclarationId());

            // The story around it, against the published history in config/history (contract v2).
            assertThat(m.story().firstTime()).isTrue();
            assertThat(m.story().previousThresholdUsd()).hasToString("600000000000.00");
            assertThat(m.story().previousThresholdFirstReached()).isEqualTo("2018");
            // Every milestone event exactly once: nothing on the topic twice, CROSSED and RETRACTED alternating.
            assertThat(all).extracting(x -> x.milestoneId() + " " + x.type() + " " + x.declarationId() + " " + x.totalUsd())
                    .doesNotHaveDuplicates();
            Map<String, MilestoneType> last = new HashMap<>();
            for (Milestone x : all) {
                MilestoneType before = last.put(x.milestoneId(), x.type());
                assertThat(x.type()).as("event after %s of %s", before, x.milestoneId())
                        .isEqualTo(before == MilestoneType.CROSSED ? MilestoneType.RETRACTED : MilestoneType.CROSSED);
            }
            assertThat(all).filteredOn(x -> x.kind() == MilestoneKind.ANNUAL_RECORD).singleElement().satisfies(a -> {
                assertThat(a.milestoneId()).isEqualTo("2025|NATIONAL|KR|ANNUAL_RECORD");
                assertThat(a.type()).isEqualTo(MilestoneType.CROSSED);
                assertThat(a.crossedAt().getMonthValue()).isEqualTo(12);
                assertThat(a.story().recordPeriod()).isEqualTo("2024");
            });
            // April 2025 passed April 2022; May did not; June to December each passed every earlier same month. (A month
            // whose running total passes its record by a little can be taken back below by a later cancellation and
            // pass it again: the alternation is checked above, where each month ends here.)
            Map<String, String> lastOfMonth = new java.util.TreeMap<>();
            all.stream().filter(x -> x.kind() == MilestoneKind.CALENDAR_MONTH_RECORD)
                    .forEach(x -> lastOfMonth.put(x.period(), x.type() + " " + x.story().streak()));
            assertThat(lastOfMonth).containsExactly(Map.entry("2025-04", "CROSSED 1"), Map.entry("2025-06", "CROSSED 1"),
                    Map.entry("2025-07", "CROSSED 2"), Map.entry("2025-08", "CROSSED 3"), Map.entry("2025-09", "CROSSED 4"),
                    Map.entry("2025-10", "CROSSED 5"), Map.entry("2025-11", "CROSSED 6"), Map.entry("2025-12", "CROSSED 7"));

            // Every malformed record was rejected, and nothing else.
            assertThat(Reader.readAll(broker.bootstrapServers(), config.rejectedTopic()))
                    .hasSize((int) summary.count(SimEvent.Kind.MALFORMED));
        }
    }

    /** Waits until the pipeline's national 2025 total on the totals topic is {@code cents}. */
    private static void awaitNational(PipelineConfig config, long cents) {
        awaitNational(config, cents, () -> true);
    }

    /**
     * Waits until the pipeline's national 2025 total on the totals topic is {@code cents} and {@code also} holds.
     * Returns the last total read of every key (year, months, ...).
     */
    private static Map<String, Total> awaitNational(PipelineConfig config, long cents, BooleanSupplier also) {
        Map<String, Total> totals = new HashMap<>();
        try (Reader reader = new Reader(broker.bootstrapServers(), config.totalsTopic())) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : reader.poll()) {
                    totals.put(r.key(), ContractJson.instance().parseTotal(r.value()));
                }
                Total t = totals.get("2025|NATIONAL|KR");
                return t != null && Money.toCents(t.totalUsd()) == cents && also.getAsBoolean();
            });
        }
        return totals;
    }

    /** A read_committed consumer of a whole topic from the beginning, read incrementally; each record valid against its topic's schema. */
    static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        Reader(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "simulator-it-" + UUID.randomUUID());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        List<ConsumerRecord<String, byte[]>> poll() {
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (consumer.assignment().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return ContractSchemas.assertValid(out);
        }

        static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
            try (Reader r = new Reader(bootstrap, topic)) {
                return r.poll();
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
