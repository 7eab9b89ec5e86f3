package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.PipelineMain;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reproducible milestones (CONTRACT.md section 5): one simulated 2025 — with eight declarations accepted in the
 * crossing's second, any one of which takes the total past $700B alone, and the year's amendments, withdrawals,
 * redeliveries and malformed records — counted in several ways on a real broker must give the same milestones
 * (every field but detectedAt) and the same totals every time.
 *
 * <p>The ways: 1, 3, 6 and 12 input partitions; one instance and two; produced in time order and with the
 * partitions interleaved at random (each partition keeping the feed's order, as Kafka keeps a key's order); two
 * instances in their own JVMs SIGKILLed in turn while the year is being produced and counted; and the first way
 * again, from scratch. Size: {@value #DEFAULT_DECLARATIONS} declarations here; the full-size command is in
 * docs/reliability.md ({@code -Dreproducible.declarations=500000}).
 */
class ReproducibleMilestonesIT {
    private static final Logger log = LoggerFactory.getLogger(ReproducibleMilestonesIT.class);
    /** Enough that the eight declarations of the crossing's second, each worth eight of the month's average, fit in December. */
    static final int DEFAULT_DECLARATIONS = 8_000;
    private static final int DECLARATIONS = Integer.getInteger("reproducible.declarations", DEFAULT_DECLARATIONS);
    private static final int AT_CROSSING = 8;
    private static final String NATIONAL_2025 = "2025|NATIONAL|KR";

    @RegisterExtension
    static final KafkaPerClass broker = new KafkaPerClass();

    private static List<SimEvent> year;
    private static String crossingDeclarationId;
    private static long yearEndCents;

    private enum Order { TIME, PARTITIONS_INTERLEAVED_AT_RANDOM }

    /** One way of counting the year. */
    private record Way(String name, int partitions, int instances, Order order, boolean sigkills) {
    }

    /** What a way gave: milestones without detectedAt (sorted), and the last value of every total without asOf. */
    private record Outcome(List<String> milestones, Map<String, String> totals, int kills) {
    }

    @BeforeAll
    static void generateTheYear() {
        SimulatorOptions options = SimulatorOptions.builder().declarations(DECLARATIONS).seed(21)
                .declarationsAtCrossing(AT_CROSSING).progress(false).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        List<SimEvent> events = new ArrayList<>();
        generator.forEachRemaining(events::add);
        year = events;
        crossingDeclarationId = generator.crossingDeclarationId();
        yearEndCents = Calibration.of(options).annualCents();
    }

    @Test
    void the_same_declarations_give_the_same_milestones_and_totals_whatever_the_partitions_instances_order_or_crashes(
            @TempDir Path dir) throws Exception {
        // Given the year counted the first way: one partition, one instance, produced in time order
        Way first = new Way("p1", 1, 1, Order.TIME, false);
        Outcome expected = count(first, dir);
        // (the $700B milestone names the lowest declarationId of the crossing's second, as the contract orders them)
        assertThat(expected.milestones()).anySatisfy(m -> assertThat(m)
                .contains("\"milestoneId\":\"2025|NATIONAL|KR|700000000000\"")
                .contains("\"declarationId\":\"" + crossingDeclarationId + "\""));
        assertThat(expected.totals()).containsKey(NATIONAL_2025);

        // When it is counted in every other way, Then each gives exactly the same milestones and totals
        List<Way> others = List.of(
                new Way("p3-interleaved", 3, 1, Order.PARTITIONS_INTERLEAVED_AT_RANDOM, false),
                new Way("p6-two-instances", 6, 2, Order.TIME, false),
                new Way("p12-interleaved", 12, 1, Order.PARTITIONS_INTERLEAVED_AT_RANDOM, false),
                new Way("p6-two-jvms-sigkilled", 6, 2, Order.TIME, true));
        for (Way way : others) {
            Outcome outcome = count(way, dir);
            assertThat(outcome.milestones()).as("milestones counted as %s", way).isEqualTo(expected.milestones());
            assertThat(outcome.totals()).as("totals counted as %s", way).isEqualTo(expected.totals());
            if (way.sigkills()) {
                assertThat(outcome.kills()).as("SIGKILLs during counting").isGreaterThanOrEqualTo(3);
            }
        }

        // And the first way once more, from scratch, gives them again
        Outcome again = count(new Way("p1-again", 1, 1, Order.TIME, false), dir);
        assertThat(again.milestones()).isEqualTo(expected.milestones());
        assertThat(again.totals()).isEqualTo(expected.totals());
        log.info("Reproducible: {} declarations, {} milestones and {} totals identical in 6 ways of counting",
                DECLARATIONS, expected.milestones().size(), expected.totals().size());
    }

    private Outcome count(Way way, Path dir) throws Exception {
        long started = System.nanoTime();
        Map<String, String> settings = settings(way, dir);
        PipelineConfig config = PipelineConfig.defaults();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            config = config.with(s.getKey(), s.getValue());
        }
        createTopics(config, way.partitions());
        int kills = 0;
        if (way.sigkills()) {
            kills = countInJvmsKilledInTurn(way, config, settings, dir);
        } else {
            produce(config, way, year);
            List<PipelineRunner> instances = new ArrayList<>();
            try {
                for (int i = 0; i < way.instances(); i++) {
                    PipelineConfig own = config.with("streams.state.dir",
                            Files.createDirectories(dir.resolve(way.name()).resolve("state-" + i)).toString());
                    PipelineRunner instance = new PipelineRunner(own);
                    instances.add(instance);
                    instance.start();
                }
                awaitYearCounted(config, () -> instances.forEach(r -> r.fatalError().ifPresent(e -> {
                    throw new AssertionError("the pipeline stopped counting " + way.name() + ": " + e, e);
                })));
            } finally {
                instances.forEach(PipelineRunner::close);
            }
        }
        Outcome outcome = outcome(config, kills);
        log.info("Counted as {} in {} s: {} milestones, {} totals, {} SIGKILLs", way.name(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), outcome.milestones().size(),
                outcome.totals().size(), kills);
        return outcome;
    }

    /**
     * Two instances in their own JVMs while the year is produced in ten chunks: after every third chunk one of them
     * is SIGKILLed, in turn, and started again.
     */
    private int countInJvmsKilledInTurn(Way way, PipelineConfig config, Map<String, String> settings, Path dir)
            throws Exception {
        Path[] configs = new Path[way.instances()];
        JvmProcess[] instances = new JvmProcess[way.instances()];
        for (int i = 0; i < instances.length; i++) {
            Properties p = new Properties();
            p.putAll(settings);
            p.setProperty("streams.state.dir", Files.createDirectories(dir.resolve(way.name()).resolve("state-" + i)).toString());
            configs[i] = dir.resolve(way.name()).resolve("pipeline-" + i + ".properties");
            try (var out = Files.newBufferedWriter(configs[i])) {
                p.store(out, way.name());
            }
        }
        Path logs = Files.createDirectories(Path.of("target", "reproducible-it"));
        int kills = 0;
        try {
            for (int i = 0; i < instances.length; i++) {
                instances[i] = JvmProcess.of(PipelineMain.class).args(configs[i].toString())
                        .logTo(logs.resolve(way.name() + "-" + i + ".log")).start();
            }
            int chunks = 10;
            for (int c = 0; c < chunks; c++) {
                produce(config, way, year.subList(c * year.size() / chunks, (c + 1) * year.size() / chunks));
                Thread.sleep(800);
                if (c % 3 == 2) {
                    int victim = kills % instances.length;
                    instances[victim].kill();
                    kills++;
                    instances[victim] = JvmProcess.of(PipelineMain.class).args(configs[victim].toString())
                            .logTo(logs.resolve(way.name() + "-" + victim + "-restart-" + kills + ".log")).start();
                }
            }
            awaitYearCounted(config, () -> {
                for (JvmProcess instance : instances) {
                    if (!instance.isAlive()) {
                        throw new AssertionError("a pipeline JVM of " + way.name() + " died; see target/reproducible-it");
                    }
                }
            });
        } finally {
            for (JvmProcess instance : instances) {
                if (instance != null) {
                    instance.close();
                }
            }
        }
        return kills;
    }

    private static Map<String, String> settings(Way way, Path dir) {
        String prefix = "repro-" + way.name();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("streams.bootstrap.servers", broker.bootstrapServers());
        s.put("streams.application.id", prefix);
        s.put("streams.state.dir", dir.resolve(way.name()).resolve("state").toString());
        s.put("streams.num.standby.replicas", way.instances() > 1 ? "1" : "0");
        // A killed member is noticed after the session timeout: short, so the other takes over quickly.
        s.put("streams.session.timeout.ms", "6000");
        s.put("streams.heartbeat.interval.ms", "1500");
        s.put("http.port", "0");
        s.put("topics.declarations", prefix + ".declarations");
        s.put("topics.rates", prefix + ".rates");
        s.put("topics.totals", prefix + ".totals");
        s.put("topics.milestones", prefix + ".milestones");
        s.put("topics.rejected", prefix + ".rejected");
        s.put("topics.rates-by-week", prefix + ".rates-by-week");
        s.put("topics.stage-one-pace", prefix + ".stage-one-pace");
        s.put("topics.partitions", Integer.toString(way.partitions()));
        return s;
    }

    private static void createTopics(PipelineConfig config, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.declarationsTopic(), partitions, (short) -1))).all().get();
        }
        PipelineRunner.createMissingTopics(config);
    }

    /**
     * Sends the events: rates to the rates topic, declaration records to the partition of their key. In time order,
     * or with the partitions interleaved at random: each partition's records keep their order (a key's records always
     * do in Kafka), but which partition gets its next record is drawn at random.
     */
    private static void produce(PipelineConfig config, Way way, List<SimEvent> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<ArrayDeque<SimEvent>> byPartition = new ArrayList<>();
            for (int i = 0; i < way.partitions(); i++) {
                byPartition.add(new ArrayDeque<>());
            }
            for (SimEvent e : events) {
                byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
                if (e.kind().onRatesTopic()) {
                    producer.send(new ProducerRecord<>(config.ratesTopic(), key, e.value()));
                } else if (way.order() == Order.TIME) {
                    producer.send(new ProducerRecord<>(config.declarationsTopic(), partitionOf(key, way.partitions()), null, key, e.value()));
                } else {
                    byPartition.get(partitionOf(key, way.partitions())).add(e);
                }
            }
            Random random = new Random(way.name().hashCode());
            int left = byPartition.stream().mapToInt(ArrayDeque::size).sum();
            while (left > 0) {
                int pick = random.nextInt(left);
                for (int i = 0; i < byPartition.size(); i++) {
                    if (pick < byPartition.get(i).size()) {
                        SimEvent e = byPartition.get(i).poll();
                        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
                        producer.send(new ProducerRecord<>(config.declarationsTopic(), i, null, key, e.value()));
                        break;
                    }
                    pick -= byPartition.get(i).size();
                }
                left--;
            }
            producer.flush();
        }
    }

    /** The partition Kafka's default partitioner gives a keyed record. */
    private static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** Until the national 2025 total is the year's, and no total has moved for two seconds; {@code alive} throws if not. */
    private static void awaitYearCounted(PipelineConfig config, Runnable alive) {
        try (KafkaTopics.Follower totals = new KafkaTopics.Follower(broker.bootstrapServers(), config.totalsTopic())) {
            long[] lastMove = {System.nanoTime()};
            long[] national = {-1};
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                alive.run();
                List<ConsumerRecord<String, byte[]>> moved = totals.poll();
                for (ConsumerRecord<String, byte[]> r : moved) {
                    if (r.key().equals(NATIONAL_2025)) {
                        national[0] = Money.toCents(ContractJson.instance().parseTotal(r.value()).totalUsd());
                    }
                }
                if (!moved.isEmpty()) {
                    lastMove[0] = System.nanoTime();
                }
                return national[0] == yearEndCents && System.nanoTime() - lastMove[0] > 2_000_000_000L;
            });
        }
    }

    private static Outcome outcome(PipelineConfig config, int kills) throws Exception {
        List<String> milestones = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.milestonesTopic())) {
            Milestone m = ContractJson.instance().parseMilestone(r.value());
            milestones.add(withoutField(new String(ContractJson.instance().write(m), StandardCharsets.UTF_8), "detectedAt"));
        }
        milestones.sort(null);
        Map<String, String> totals = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), config.totalsTopic())) {
            Total t = ContractJson.instance().parseTotal(r.value());
            totals.put(r.key(), withoutField(new String(ContractJson.instance().write(t), StandardCharsets.UTF_8), "asOf"));
        }
        return new Outcome(milestones, totals, kills);
    }

    /** The JSON without one string field: what differs between runs by design (when it was written). */
    private static String withoutField(String json, String field) {
        return json.replaceAll(",?\"" + field + "\":\"[^\"]*\"", "");
    }
}
