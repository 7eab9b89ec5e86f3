package io.exportcounter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.Money;
import io.exportcounter.kafka.KafkaCluster;
import io.exportcounter.kafka.KafkaCluster.KafkaNode;
import io.exportcounter.testsupport.KafkaPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault suite on the production shape: three broker processes (replication 3, min ISR 2), two pipeline
 * instances in JVMs of their own with a standby each, and a calibrated year fed while they count. Each scenario
 * injects its faults mid-replay and ends with the checks of {@link CountingRun#assertExactAndOnce}; every
 * scenario's totals must also equal, key for key, those of the first scenario of the run.
 *
 * <p>CI runs short forms of scenarios 1, 3 and 4 on {@link CalibratedYear#forTheSuite()}'s smaller year fed faster:
 * the transaction coordinator's broker killed only, the zombie, and the lost state directory only; {@code bin/faults}
 * ({@code -Dfaults.full=true}) runs every scenario at full size and writes the report.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionShapeIT {
    private static final Logger log = LoggerFactory.getLogger(ProductionShapeIT.class);
    static final boolean FULL = Boolean.getBoolean("faults.full");
    /**
     * The feed: the year in this many parts, one every {@link #CHUNK_PAUSE}, so that the faults fall while it is
     * counted; {@link #LONG_FEED} parts where a scenario's faults take longer (two broker kill-and-restart cycles).
     */
    private static final int CHUNKS = 20;
    private static final int LONG_FEED = 30;
    private static final Duration CHUNK_PAUSE = Duration.ofMillis(FULL ? 1500 : 1000);
    /** How long the zombie sleeps: past the 6 s session timeout and Kafka Streams' 10 s transaction timeout. */
    private static final Duration FROZEN = Duration.ofSeconds(15);

    @RegisterExtension
    static final KafkaPerClass kafka = KafkaPerClass.cluster(3);

    @TempDir
    static Path dir;

    private static CalibratedYear year;

    @BeforeAll
    static void generateTheYear() {
        year = CalibratedYear.forTheSuite();
    }

    @Test
    @Order(1)
    void the_brokers_leading_the_transaction_coordinator_and_the_totals_are_killed_and_come_back() throws Exception {
        Scenario.run(year, "1-broker-kills", "1. SIGKILL of the transaction coordinator's broker, then of the totals' leader", report -> {
            KafkaCluster cluster = kafka.cluster();
            try (CountingRun run = new CountingRun("broker-kills", kafka.bootstrapServers(), year, 2, dir).start();
                    Feed feed = run.feed(FULL ? LONG_FEED : CHUNKS, CHUNK_PAUSE);
                    CountingRun.Progress progress = run.progress()) {
                report.did("Two pipeline instances (one standby each) count the calibrated year as it is fed, "
                        + (FULL ? LONG_FEED : CHUNKS) + " parts " + CHUNK_PAUSE.toMillis() + " ms apart, on three brokers.");
                // Given the year being counted
                Scenario.awaitShareSent(feed, 0.2);
                String share = Scenario.percentSent(feed);
                // When the broker coordinating the pipeline's transactions is SIGKILLed
                List<String> transactionalIds = run.transactionalIds();
                assertThat(transactionalIds).as("the pipeline's open transactions").isNotEmpty();
                KafkaNode coordinator = cluster.transactionCoordinatorOf(transactionalIds.get(0));
                Set<String> coordinated = new LinkedHashSet<>();
                for (String id : transactionalIds) {
                    if (cluster.transactionCoordinatorOf(id).id() == coordinator.id()) {
                        coordinated.add(id);
                    }
                }
                String recovered = killAndRestart(cluster, coordinator, progress, run);
                report.did("At " + share + " of the year fed: SIGKILL of broker " + coordinator.id()
                        + ", the transaction coordinator of " + coordinated + "; restarted 10 s later.");
                report.figure("coordinator kill: committed totals moving again after", recovered);
                // and, once it is back (full run), the broker leading the national total's partition of export.totals
                if (FULL) {
                    Scenario.awaitShareSent(feed, 0.7);
                    share = Scenario.percentSent(feed);
                    int partitions = cluster.describe(run.config.totalsTopic()).partitions().size();
                    TopicPartition national = new TopicPartition(run.config.totalsTopic(),
                            Utils.toPositive(Utils.murmur2(CountingRun.NATIONAL_2025.getBytes())) % partitions);
                    KafkaNode leader = cluster.leaderOf(national);
                    recovered = killAndRestart(cluster, leader, progress, run);
                    report.did("At " + share + " fed: SIGKILL of broker " + leader.id() + ", leader of " + national
                            + " (the national total's partition); restarted 10 s later.");
                    report.figure("totals leader kill: committed totals moving again after", recovered);
                }
                // Then the year is counted exactly, each milestone once
                long counting = System.nanoTime();
                run.awaitCounted(feed, Duration.ofMinutes(FULL ? 10 : 4), run::allAlive);
                report.figure("from the last restart to the year counted", Scenario.seconds(System.nanoTime() - counting));
                run.assertExactOnceAndAsFirst(report);
                report.met("Both pipeline instances ran throughout (no restart needed).");
            }
        });
    }

    @Test
    @Order(3)
    void a_frozen_instance_wakes_as_a_zombie_is_fenced_and_rejoins() throws Exception {
        Scenario.run(year, "3-zombie", "3. A zombie: the stage-2 instance frozen past its session and transaction timeouts", report -> {
            try (CountingRun run = new CountingRun("zombie", kafka.bootstrapServers(), year, 2, dir).start();
                    Feed feed = run.feed(CHUNKS, CHUNK_PAUSE)) {
                report.did("Two pipeline instances (one standby each) count the calibrated year as it is fed; session"
                        + " timeout 6 s, Kafka Streams' transaction timeout 10 s.");
                // Given the year being counted
                Scenario.awaitShareSent(feed, 0.3);
                PipelineInstance zombie = run.stageTwoHolder(Duration.ofMinutes(1));
                PipelineInstance other = run.instances.stream().filter(i -> i != zombie).findFirst().orElseThrow();
                // When the instance running stage 2 is frozen (SIGSTOP) with its transaction open
                String share = Scenario.percentSent(feed);
                long frozenAt = System.nanoTime();
                zombie.pause();
                report.did("At " + share + " fed: SIGSTOP of " + zombie.name + ", which ran stage 2.");
                // Then the other takes stage 2 over from its standby
                PipelineInstance holder = run.stageTwoHolder(Duration.ofMinutes(1));
                long tookOver = System.nanoTime() - frozenAt;
                assertThat(holder).as("the instance running stage 2 while the other is frozen").isSameAs(other);
                report.met(other.name + " took stage 2 over and answered the national total (not stale) "
                        + Scenario.seconds(tookOver) + " after the freeze.");
                report.figure("takeover of stage 2 after the freeze", Scenario.seconds(tookOver));
                // And when the frozen one wakes, well past both timeouts, with the writes it had in flight
                Scenario.sleepUntil(frozenAt + FROZEN.toNanos());
                zombie.resume();
                report.did("SIGCONT of " + zombie.name + " " + Scenario.seconds(System.nanoTime() - frozenAt) + " after the freeze"
                        + " (no sooner than " + FROZEN.toSeconds() + " s, and not before the other had taken over).");
                // Then its late writes are refused: the broker has fenced its producer epoch
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                        .until(() -> fencingLine(zombie).isPresent());
                report.met(zombie.name + " was fenced on waking: its log says \"" + fencingLine(zombie).orElseThrow() + "\".");
                // and it rejoins the group as a member again
                long woke = System.nanoTime();
                run.awaitStableGroupOf(2, Duration.ofMinutes(2));
                report.met(zombie.name + " rejoined: the group is stable with two members again "
                        + Scenario.seconds(System.nanoTime() - woke) + " after it woke, without a restart.");
                report.figure("rejoined after waking", Scenario.seconds(System.nanoTime() - woke));
                run.awaitCounted(feed, Duration.ofMinutes(FULL ? 10 : 4), run::allAlive);
                run.assertExactOnceAndAsFirst(report);
            }
        });
    }

    @Test
    @Order(2)
    @EnabledIfSystemProperty(named = "faults.full", matches = "true")
    void with_two_brokers_down_the_pipeline_stops_loses_nothing_and_resumes_when_one_returns() throws Exception {
        Scenario.run(year, "2-two-brokers-down", "2. Two brokers down at once", report -> {
            KafkaCluster cluster = kafka.cluster();
            try (CountingRun run = new CountingRun("two-brokers-down", kafka.bootstrapServers(), year, 2, dir).start();
                    Feed feed = run.feed(CHUNKS, CHUNK_PAUSE);
                    CountingRun.Progress progress = run.progress()) {
                report.did("Two pipeline instances (one standby each) count the calibrated year as it is fed.");
                // Given the year being counted
                Scenario.awaitShareSent(feed, 0.3);
                // When two of the three brokers are SIGKILLed at once (one copy left: below min.insync.replicas=2,
                // and the controller quorum lost)
                List<KafkaNode> down = cluster.nodes().subList(1, 3);
                String share = Scenario.percentSent(feed);
                long standing = progress.poll();
                long killedAt = System.nanoTime();
                try {
                    for (KafkaNode n : down) {
                        n.kill();
                    }
                    report.did("At " + share + " fed: SIGKILL of brokers " + down.get(0).id() + " and " + down.get(1).id()
                            + " together, for 30 s.");
                    // Then no write is acknowledged on one copy: neither customs' (the feed) nor the pipeline's
                    // (a commit already on its way when they died may still land in the first moments)
                    Thread.sleep(3_000);
                    double fedAfterKill = feed.sent();
                    int answered = 0;
                    int unanswered = 0;
                    while (System.nanoTime() - killedAt < Duration.ofSeconds(30).toNanos()) {
                        if (progress.tryPoll(Duration.ofSeconds(2))) {
                            answered++;
                            assertThat(progress.nationalCents()).as("the committed national total with one broker of three")
                                    .isEqualTo(standing);
                        } else {
                            unanswered++;
                        }
                        assertThat(run.allAlive()).as("both pipeline instances are still running").isTrue();
                    }
                    assertThat(feed.sent()).as("the share of the year acknowledged with one broker of three")
                            .isEqualTo(fedAfterKill);
                    report.met("For the 30 s with one broker of three no write was acknowledged: the feed's share stood at "
                            + Scenario.percentSent(feed) + ", and the totals could " + (answered == 0
                            ? "not be read at all (" + unanswered + " reads timed out), so nothing was committed"
                            : "be read " + answered + " times (" + unanswered + " timed out), always at the national total"
                            + " of before the kill, " + usd(standing)) + "; both pipeline instances kept running, waiting.");
                    // And when one of them comes back, counting resumes
                    down.get(0).start();
                    long backAt = System.nanoTime();
                    while (progress.nationalCents() == standing) {
                        assertThat(run.allAlive()).as("both pipeline instances are still running").isTrue();
                        assertThat(System.nanoTime() - backAt).as("time until committed totals move again")
                                .isLessThan(Duration.ofMinutes(3).toNanos());
                        progress.tryPoll(Duration.ofSeconds(2));
                        Thread.sleep(200);
                    }
                    long resumed = System.nanoTime() - backAt;
                    report.met("Counting resumed with two brokers of three, " + Scenario.seconds(resumed) + " after broker "
                            + down.get(0).id() + " was started again.");
                    report.figure("committed totals moving again after one broker came back", Scenario.seconds(resumed));
                } finally {
                    // Whatever happened, the cluster is whole again for the next scenarios.
                    for (KafkaNode n : down) {
                        if (!n.isRunning()) {
                            n.start();
                        }
                    }
                    cluster.awaitHealthy();
                }
                report.did("Broker " + down.get(1).id() + " started again once counting had resumed.");
                run.awaitCounted(feed, Duration.ofMinutes(10), run::allAlive);
                run.assertExactOnceAndAsFirst(report);
            }
        });
    }

    @Test
    @Order(4)
    void the_stage_two_instance_killed_again_and_again_and_a_lost_state_directory() throws Exception {
        Scenario.run(year, "4-instance-kills", "4. SIGKILL of the stage-2 instance, repeated, and a lost state directory", report -> {
            try (CountingRun run = new CountingRun("instance-kills", kafka.bootstrapServers(), year, 2, dir).start();
                    Feed feed = run.feed(CHUNKS, CHUNK_PAUSE)) {
                report.did("Two pipeline instances (one standby each) count the calibrated year as it is fed.");
                int kills = FULL ? 3 : 0;
                for (int k = 0; k < kills; k++) {
                    stageTwoMoves(run, feed, report, 0.15 + 0.2 * k, "SIGKILL", k + 1, PipelineInstance::kill);
                }
                if (kills > 0) {
                    report.met("Each time, the other instance took stage 2 over, and the killed one rejoined after its restart.");
                }
                // When an instance is SIGKILLed and its whole state directory is lost
                Scenario.awaitShareSent(feed, FULL ? 0.75 : 0.3);
                PipelineInstance lost = run.stageTwoHolder(Duration.ofMinutes(2));
                String share = Scenario.percentSent(feed);
                lost.kill();
                lost.deleteState();
                long restartedAt = System.nanoTime();
                lost.start();
                // Then it restores from the changelogs and takes its part of the work again
                run.awaitStableGroupOf(2, Duration.ofMinutes(3));
                long rejoined = System.nanoTime() - restartedAt;
                report.did("At " + share + " fed: SIGKILL of " + lost.name + " (running stage 2), its state directory deleted,"
                        + " and started again.");
                report.figure("state directory lost: back in a stable group of two after", Scenario.seconds(rejoined));
                run.awaitCounted(feed, Duration.ofMinutes(FULL ? 10 : 4), run::allAlive);
                report.met(lost.name + " restored from the changelogs and counted on: nothing counted twice or lost.");
                run.assertExactOnceAndAsFirst(report);
            }
        });
    }

    @Test
    @Order(5)
    // Full run only: CI's time goes to the zombie and the lost state directory, which move stage 2 too.
    @EnabledIfSystemProperty(named = "faults.full", matches = "true")
    void a_rolling_restart_moves_stage_two_between_live_instances_again_and_again() throws Exception {
        Scenario.run(year, "8-rolling-restart", "8. A rolling restart: the stage-2 instance stopped and started again, in turn, three times", report -> {
            try (CountingRun run = new CountingRun("rolling-restart", kafka.bootstrapServers(), year, 2, dir).start();
                    Feed feed = run.feed(LONG_FEED, CHUNK_PAUSE)) {
                report.did("Two pipeline instances (one standby each) count the calibrated year as it is fed.");
                for (int k = 0; k < 3; k++) {
                    stageTwoMoves(run, feed, report, 0.15 + 0.2 * k, "a stop (SIGTERM)", k + 1, PipelineInstance::close);
                }
                report.met("Each time, the other instance took stage 2 over, and the stopped one rejoined after its restart.");
                // Then the year is counted exactly, each milestone once, whichever instance ends with stage 2
                run.awaitCounted(feed, Duration.ofMinutes(FULL ? 10 : 4), run::allAlive);
                run.assertExactOnceAndAsFirst(report);
            }
        });
    }

    /** What is done to the instance running stage 2. */
    private interface InstanceFault {
        void apply(PipelineInstance instance) throws Exception;
    }

    /**
     * Given the year counted up to {@code share} of it: {@code fault} ({@code what}) to the instance running stage 2,
     * the other taking stage 2 over, and the first started again on its state directory and back in a group of two.
     */
    private static void stageTwoMoves(CountingRun run, Feed feed, ScenarioReport report, double share, String what, int nth,
            InstanceFault fault) throws Exception {
        // Given the year being counted
        Scenario.awaitShareSent(feed, share);
        PipelineInstance first = run.stageTwoHolder(Duration.ofMinutes(2));
        // When the instance running stage 2 is hit
        String sent = Scenario.percentSent(feed);
        long hitAt = System.nanoTime();
        fault.apply(first);
        // Then the other takes stage 2 over from its standby
        PipelineInstance holder = run.stageTwoHolder(Duration.ofMinutes(1));
        long tookOver = System.nanoTime() - hitAt;
        assertThat(holder).as("the instance running stage 2 after " + what).isNotSameAs(first);
        // and the first, started again, rejoins
        first.start();
        run.awaitStableGroupOf(2, Duration.ofMinutes(2));
        report.did("At " + sent + " fed: " + what + " of " + first.name + ", which ran stage 2; " + holder.name
                + " answered the national total (not stale) " + Scenario.seconds(tookOver) + " later; " + first.name
                + " started again on its state directory and rejoined.");
        report.figure("stage-2 takeover after " + what + " " + nth, Scenario.seconds(tookOver));
    }

    /**
     * SIGKILLs {@code node}, starts it again 10 s later and waits until the cluster is whole; returns how long after
     * the kill the committed totals first moved (while the node was down, or after it came back).
     */
    private static String killAndRestart(KafkaCluster cluster, KafkaNode node, CountingRun.Progress progress,
            CountingRun run) throws Exception {
        progress.poll();
        long before = progress.nationalCents();
        long killedAt = System.nanoTime();
        node.kill();
        long movedAfter = -1;
        while (System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos()) {
            if (movedAfter < 0 && progress.poll() != before) {
                movedAfter = System.nanoTime() - killedAt;
            }
            Thread.sleep(200);
        }
        node.start();
        long restartedAfter = System.nanoTime() - killedAt;
        while (movedAfter < 0) {
            if (!run.allAlive()) {
                throw new AssertionError("a pipeline instance died after broker " + node.id() + " was killed");
            }
            if (progress.poll() != before) {
                movedAfter = System.nanoTime() - killedAt;
            }
            Thread.sleep(200);
        }
        cluster.awaitHealthy();
        String figure = Scenario.seconds(movedAfter) + (movedAfter < restartedAfter ? " (while it was down)"
                : " (after it came back; restarted " + Scenario.seconds(restartedAfter) + " after the kill)");
        log.info("Broker {} killed: committed totals moving again after {}", node.id(), figure);
        return figure;
    }

    /** The line of the instance's log that shows it was fenced, if any. */
    static java.util.Optional<String> fencingLine(PipelineInstance instance) {
        try (var lines = Files.lines(instance.log())) {
            return lines.filter(l -> l.contains("ProducerFenced") || l.contains("InvalidProducerEpoch")
                    || l.contains("fenced") || l.contains("TaskMigrated")).findFirst().map(l -> l.length() > 240 ? l.substring(0, 240) + " …" : l);
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String usd(long cents) {
        return Money.format(cents);
    }
}
