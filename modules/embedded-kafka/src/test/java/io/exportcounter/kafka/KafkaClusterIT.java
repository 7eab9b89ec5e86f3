package io.exportcounter.kafka;

import static io.exportcounter.kafka.TopicRecords.sendInTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three-node cluster behaves as a production cluster does: replication 3 with min ISR 2, exactly-once, a new leader
 * when one is killed, no acknowledged write with two nodes down, and a killed or paused node rejoining.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterIT.class);

    @TempDir
    static Path dir;
    static KafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        long t0 = System.nanoTime();
        kafka = KafkaCluster.builder().nodes(3).dataDir(dir.resolve("cluster")).logDir(Path.of("target", "kafka-cluster-it"))
                .build().start();
        LOG.info("3-node cluster started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @AfterAll
    static void closeCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Each test leaves every node running and the cluster whole. */
    @AfterEach
    void everyNodeBack() {
        for (KafkaCluster.KafkaNode node : kafka.nodes()) {
            if (node.isPaused()) {
                node.resume();
            }
            node.start();
        }
        kafka.awaitHealthy();
    }

    @Test
    void topicsHaveThreeReplicasAndTransactionsAreReadCommitted() throws Exception {
        // Given a topic created with the cluster's defaults
        kafka.createTopic("tx-topic", 3, Map.of());

        // Then every partition has three replicas in sync, and a write needs two of them
        TopicDescription d = kafka.describe("tx-topic");
        assertThat(d.partitions()).hasSize(3).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(3);
            assertThat(p.isr()).hasSize(3);
        });
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "tx-topic");
        Config config = kafka.admin().describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
        assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");

        // When a transactional producer commits two transactions and aborts one
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer("tx-1")) {
            producer.initTransactions();
            committed.addAll(sendInTransaction(producer, "tx-topic", "committed-a", 0, 5, true));
            sendInTransaction(producer, "tx-topic", "aborted", 0, 4, false);
            committed.addAll(sendInTransaction(producer, "tx-topic", "committed-b", 0, 5, true));

            // Then the transaction log is replicated like the data, and the coordinator the cluster names is the one Kafka uses
            assertThat(kafka.describe("__transaction_state").partitions())
                    .hasSize(KafkaCluster.COORDINATOR_PARTITIONS).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            int coordinator = kafka.admin().describeTransactions(List.of("tx-1")).description("tx-1")
                    .get(30, TimeUnit.SECONDS).coordinatorId();
            assertThat(kafka.transactionCoordinatorOf("tx-1").id()).isEqualTo(coordinator);
        }

        // And a read_committed consumer sees exactly the committed records
        assertThat(readAll("tx-topic", "read_committed")).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(readAll("tx-topic", "read_uncommitted")).hasSize(committed.size() + 4);
    }

    @Test
    void killingTheLeaderElectsAnotherAndTheKilledNodeRejoins() throws Exception {
        // Given a partition with records written with acks=all
        kafka.createTopic("failover", 1, Map.of());
        TopicPartition tp = new TopicPartition("failover", 0);
        try (KafkaProducer<String, String> producer = producer(null)) {
            send(producer, "failover", "before-", 10);

            // When its leader is killed with SIGKILL
            KafkaCluster.KafkaNode leader = kafka.leaderOf(tp);
            long t0 = System.nanoTime();
            leader.kill();
            assertThat(leader.isRunning()).isFalse();

            // Then another node leads it, and writes with acks=all go on (two replicas in sync are enough)
            KafkaCluster.KafkaNode next = kafka.awaitLeaderOtherThan(tp, leader, Duration.ofSeconds(60));
            LOG.info("New leader {} of {} {} ms after the SIGKILL of {}", next, tp,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), leader);
            send(producer, "failover", "after-", 10);
            assertThat(readAll("failover", "read_committed")).hasSize(20);

            // And the killed node, restarted on its data and ports, is back in sync
            int port = leader.port();
            leader.start();
            assertThat(leader.port()).isEqualTo(port);
            kafka.awaitHealthy();
            assertThat(kafka.isrOf(tp)).containsExactly(1, 2, 3);
            send(producer, "failover", "rejoined-", 10);
        }
        assertThat(readAll("failover", "read_committed")).hasSize(30);
    }

    @Test
    void withTwoNodesDownNoWriteIsAcknowledgedUntilOneComesBack() throws Exception {
        // Given a partition and two of the three nodes killed
        kafka.createTopic("two-down", 1, Map.of());
        TopicPartition tp = new TopicPartition("two-down", 0);
        KafkaCluster.KafkaNode leader = kafka.leaderOf(tp);
        List<KafkaCluster.KafkaNode> others = kafka.nodes().stream().filter(n -> n != leader).toList();
        try (KafkaProducer<String, String> producer = producer(null, Duration.ofSeconds(10))) {
            send(producer, "two-down", "before-", 5);
            others.get(0).kill();
            others.get(1).kill();

            // When a record is sent with acks=all
            Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>("two-down", "k", "lost?")).get(30, TimeUnit.SECONDS));

            // Then it is not acknowledged: too few replicas in sync (or no answer at all: the controller quorum is gone too)
            assertThat(refused).isInstanceOf(ExecutionException.class);
            assertThat(refused.getCause()).isInstanceOfAny(NotEnoughReplicasException.class, TimeoutException.class);
            LOG.info("With two nodes down, acks=all was refused with {}", refused.getCause().toString());
        }

        // And once one node is back, writes are acknowledged again
        long t0 = System.nanoTime();
        others.get(0).start();
        try (KafkaProducer<String, String> producer = producer(null, Duration.ofSeconds(120))) {
            send(producer, "two-down", "after-", 5);
        }
        LOG.info("acks=all accepted again {} ms after restarting node {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                others.get(0).id());
        // (the unacknowledged record may or may not be in the log; the acknowledged ones all are)
        assertThat(readAll("two-down", "read_committed")).contains("before-0", "before-4", "after-0", "after-4");
    }

    @Test
    void aPausedLeaderLosesItsPartitionsAndCatchesUpWhenResumed() throws Exception {
        // Given a partition led by a node that is not the active controller, and that node frozen with SIGSTOP
        // (freezing the active controller too costs another 30 s: the brokers' requests to it wait for
        // controller.socket.timeout.ms before they turn to the new one)
        int controller = kafka.activeController().id();
        int leaderId = controller % 3 + 1;
        List<Integer> replicas = new ArrayList<>(List.of(leaderId));
        kafka.nodes().stream().map(KafkaCluster.KafkaNode::id).filter(id -> id != leaderId).forEach(replicas::add);
        kafka.createTopic("paused", Map.of(0, replicas), Map.of());
        TopicPartition tp = new TopicPartition("paused", 0);
        KafkaCluster.KafkaNode leader = kafka.leaderOf(tp);
        assertThat(leader.id()).isEqualTo(leaderId);
        leader.pause();
        assertThat(leader.isPaused()).isTrue();

        // Then the controller fences it and another node leads
        long t0 = System.nanoTime();
        KafkaCluster.KafkaNode next = kafka.awaitLeaderOtherThan(tp, leader, Duration.ofSeconds(60));
        LOG.info("New leader {} of {} {} ms after the SIGSTOP of {}", next, tp, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                leader);
        // (a client that meets the frozen node first waits its request timeout there: this one is told of the others only)
        String others = kafka.nodes().stream().filter(n -> n != leader).map(KafkaCluster.KafkaNode::bootstrapServer)
                .collect(Collectors.joining(","));
        try (KafkaProducer<String, String> producer = producer(null, Duration.ofSeconds(120), others)) {
            send(producer, "paused", "while-paused-", 5);
        }

        // And resumed with SIGCONT it catches up
        leader.resume();
        kafka.awaitHealthy();
        assertThat(kafka.isrOf(tp)).containsExactly(1, 2, 3);
        assertThat(readAll("paused", "read_committed")).hasSize(5);
    }

    @Test
    void aNodeHaltsWhenTheProcessThatStartedItEnds() throws Exception {
        // Given node 3 stopped, and started again by hand on behalf of a stand-in parent process
        KafkaCluster.KafkaNode node = kafka.node(3);
        node.stop();
        Process parent = new ProcessBuilder("sleep", "600").start();
        Process orphan = null;
        try {
            orphan = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-D" + KafkaNodeMain.PARENT_PID_PROPERTY + "=" + parent.pid(),
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    KafkaNodeMain.class.getName(), node.dataDir().resolve(KafkaCluster.CONFIG_FILE).toString())
                    .redirectErrorStream(true).redirectOutput(node.logFile().toFile()).start();
            Thread.sleep(3_000);
            assertThat(orphan.isAlive()).as("the node runs while its parent does").isTrue();

            // When that parent dies with SIGKILL
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            // Then the node halts by itself
            assertThat(orphan.waitFor(20, TimeUnit.SECONDS)).as("the node ended after its parent").isTrue();
        } finally {
            parent.destroyForcibly();
            if (orphan != null) {
                orphan.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readString(node.logFile())).contains("has ended; halting");
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return producer(transactionalId, Duration.ofSeconds(120));
    }

    private static KafkaProducer<String, String> producer(String transactionalId, Duration deliveryTimeout) {
        return producer(transactionalId, deliveryTimeout, kafka.bootstrapServers());
    }

    private static KafkaProducer<String, String> producer(String transactionalId, Duration deliveryTimeout, String bootstrap) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        // A request to a paused node is never answered: ask another one after 10 s rather than Kafka's 30.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deliveryTimeout.toMillis(), 10_000));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String prefix, int count) throws Exception {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, prefix + i)));
        }
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get(150, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(String topic, String isolation) {
        return TopicRecords.readAll(kafka.clientProperties(), topic, isolation, Duration.ofSeconds(60));
    }
}
