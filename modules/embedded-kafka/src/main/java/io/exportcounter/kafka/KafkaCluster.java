package io.exportcounter.kafka;

import static io.exportcounter.kafka.KafkaNodeSupport.deleteRecursively;
import static io.exportcounter.kafka.KafkaNodeSupport.formatStorage;
import static io.exportcounter.kafka.KafkaNodeSupport.freePort;
import static io.exportcounter.kafka.KafkaNodeSupport.isPortFree;
import static io.exportcounter.kafka.KafkaNodeSupport.loadProperties;
import static io.exportcounter.kafka.KafkaNodeSupport.putBrokerProperty;
import static io.exportcounter.kafka.KafkaNodeSupport.putCombinedModeNode;
import static io.exportcounter.kafka.KafkaNodeSupport.putReplication;
import static io.exportcounter.kafka.KafkaNodeSupport.putSmallMachineSettings;
import static io.exportcounter.kafka.KafkaNodeSupport.readinessProducerProperties;
import static io.exportcounter.kafka.KafkaNodeSupport.requireBetween;
import static io.exportcounter.kafka.KafkaNodeSupport.requirePositive;
import static io.exportcounter.kafka.KafkaNodeSupport.storeProperties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real N-node Kafka cluster on this machine, each node a KRaft broker+controller in a JVM of its own (the quorum is
 * every node), set up as {@code docker/docker-compose.yml} sets production up: replication factor 3,
 * {@code min.insync.replicas=2}, the transaction and offsets topics replicated 3 times (min ISR 2), no unclean leader
 * election, no automatic topic creation (each capped by the number of nodes). Because each node is a process, a test can
 * do to it what an operating system or an operator does to a broker:
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.start(3, dir)) {
 *     kafka.createTopic("t", 3, Map.of());
 *     KafkaCluster.KafkaNode leader = kafka.leaderOf(new TopicPartition("t", 0));
 *     leader.kill();              // SIGKILL: no controlled shutdown, no flush
 *     kafka.awaitLeaderOtherThan(new TopicPartition("t", 0), leader, Duration.ofSeconds(60));
 *     leader.start();             // same data directory and ports
 *     kafka.awaitHealthy();       // every partition fully replicated again
 *     kafka.node(2).pause();      // SIGSTOP ... .resume() SIGCONT
 * }
 * }</pre>
 *
 * <p>Ports are picked once, when the cluster is first started on its directory, and kept (in {@code cluster.properties})
 * for every later start of a node or of the cluster. Each node writes its log to {@code node-<id>/node.log} (or to the
 * folder {@link Builder#logDir} names), never to the caller's output. {@link #close()} kills every node and deletes a
 * temporary directory; a shutdown hook kills them if the JVM exits first, and each node halts by itself when the JVM that
 * started it is gone (SIGKILL included).
 *
 * <p>{@link Builder#secured()} makes the client listeners SASL_SSL with SCRAM-SHA-512 and turns on ACLs
 * ({@code StandardAuthorizer}, {@code allow.everyone.if.no.acl.found=false}); see {@link #createUser} and
 * {@link #clientProperties(String, String)}.
 *
 * <p>Every wait is bounded and says, when it gives up, what it waited for.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    /** The address the nodes listen on and advertise unless {@link Builder#host} names another. */
    public static final String HOST = KafkaNodeSupport.HOST;
    /** The super user of a secured cluster (inter-broker and admin), with a random password. */
    public static final String ADMIN_USER = "admin";
    /** The principal of the nodes' certificate on the controller listener (mutual TLS) of a secured cluster. */
    public static final String NODE_PRINCIPAL = "User:CN=kafka-broker";
    /** The SASL mechanism of a secured cluster. */
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";
    /** A one-partition topic replicated on every node: a produce with acks=all to it proves the cluster serves. */
    public static final String READINESS_TOPIC = "__kafka_cluster_readiness";
    /** Partitions of the transaction state topic (and the offsets topic): fewer than Kafka's 50, for small machines. */
    public static final int COORDINATOR_PARTITIONS = 10;

    static final String STATE_FILE = "cluster.properties";
    static final String CONFIG_FILE = "server.properties";
    static final String READY_FILE = "ready";
    static final String READY_FILE_PROPERTY = "export-counter.kafka-node.ready-file";

    private final int size;
    private final String host;
    private final Path requestedDir;
    private final Path requestedLogDir;
    private final Map<String, String> brokerProperties;
    private final List<String> nodeJvmOptions;
    private final Duration startTimeout;
    private final boolean secured;

    private Path dir;
    private boolean temporaryDir;
    private String clusterId;
    private TlsMaterial tls;
    private String adminPassword;
    private final List<KafkaNode> nodes = new ArrayList<>();
    private Admin admin;
    private Thread shutdownHook;
    private boolean started;
    private volatile boolean closed;

    private KafkaCluster(Builder b) {
        this.size = b.nodes;
        this.host = b.host;
        this.requestedDir = b.dataDir;
        this.requestedLogDir = b.logDir;
        this.brokerProperties = Map.copyOf(b.brokerProperties);
        this.nodeJvmOptions = List.copyOf(b.nodeJvmOptions);
        this.startTimeout = b.startTimeout;
        this.secured = b.secured;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a plain (PLAINTEXT) cluster of {@code nodes} nodes with its data in {@code dir} (kept on close). */
    public static KafkaCluster start(int nodes, Path dir) {
        return builder().nodes(nodes).dataDir(dir).build().start();
    }

    // ------------------------------------------------------------------------------------------
    // Life cycle
    // ------------------------------------------------------------------------------------------

    /**
     * Formats each node's storage (the first time), starts every node and returns once the cluster serves: every node
     * registered, a produce with acks=all to a topic on every node accepted, every partition fully replicated.
     *
     * @throws EmbeddedKafkaException when it does not within the start timeout, saying what was missing; nothing is
     *                                left running then
     */
    public synchronized KafkaCluster start() {
        if (started) {
            throw new IllegalStateException("the cluster was started already; start or restart its nodes instead");
        }
        started = true;
        long t0 = System.nanoTime();
        try {
            prepareDirectories();
            Properties state = loadState();
            clusterId = state.getProperty("cluster.id", Uuid.randomUuid().toString());
            if (secured) {
                prepareSecurity(state);
            }
            choosePorts(state);
            saveState();
            String voters = nodes.stream().map(n -> n.id + "@" + host + ":" + n.controllerPort).collect(Collectors.joining(","));
            for (KafkaNode node : nodes) {
                node.writeConfig(nodeConfig(node, voters));
                if (!Files.exists(node.logDirs().resolve("meta.properties"))) {
                    format(node);
                }
            }
            shutdownHook = new Thread(this::killAll, "kafka-cluster-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            // All at once: a node's start-up waits for a quorum of controllers.
            nodes.forEach(KafkaNode::launch);
            long deadline = System.nanoTime() + startTimeout.toNanos();
            for (KafkaNode node : nodes) {
                node.awaitReady(deadline);
            }
            awaitReadinessProduce(remaining(deadline));
            awaitHealthy(remaining(deadline));
            LOG.info("Kafka cluster of {} nodes ready at {} in {} ms (data: {}{}{})", size, bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dir, temporaryDir ? ", temporary" : "",
                    secured ? "; SASL_SSL, SCRAM-SHA-512, ACLs" : "");
            return this;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Stops every node gracefully: SIGTERM to all at once (one after the other, the last ones would wait for a controller
     * quorum that is gone), SIGKILL to any still alive after {@code timeout}. Nodes can be started again.
     */
    public void shutdown(Duration timeout) {
        long t0 = System.nanoTime();
        for (KafkaNode node : nodes) {
            node.terminate();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (KafkaNode node : nodes) {
            node.awaitTerminated(deadline);
        }
        LOG.info("Kafka cluster at {} shut down in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Kills every node (SIGKILL), closes the admin client and deletes a temporary directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
        killAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        if (temporaryDir && dir != null) {
            deleteRecursively(dir);
        }
        LOG.info("Kafka cluster at {} closed", nodes.isEmpty() ? "(not started)" : bootstrapServers());
    }

    private void killAll() {
        for (KafkaNode node : nodes) {
            node.destroy();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Accessors
    // ------------------------------------------------------------------------------------------

    /** Every node's client address, e.g. {@code localhost:41001,localhost:41003,localhost:41005}. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::bootstrapServer).collect(Collectors.joining(","));
    }

    /** The node with this node id (1 to {@link #size()}). */
    public KafkaNode node(int id) {
        if (id < 1 || id > nodes.size()) {
            throw new IllegalArgumentException("no node " + id + ": node ids are 1 to " + nodes.size());
        }
        return nodes.get(id - 1);
    }

    public List<KafkaNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public int size() {
        return size;
    }

    /** The address every node listens on and advertises ({@link #HOST} unless {@link Builder#host} named another). */
    public String host() {
        return host;
    }

    public Path dataDir() {
        return dir;
    }

    public String clusterId() {
        return clusterId;
    }

    public boolean isSecured() {
        return secured;
    }

    /** The CA and keystores of a secured cluster (clients trust {@link TlsMaterial#truststore()}). */
    public TlsMaterial tls() {
        requireSecured();
        return tls;
    }

    /**
     * Client settings of the cluster's administrator: {@code bootstrap.servers}, and on a secured cluster the super
     * user's SASL_SSL settings. A fresh mutable map.
     */
    public Map<String, Object> clientProperties() {
        return secured ? clientProperties(ADMIN_USER, adminPassword) : new LinkedHashMap<>(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** SASL_SSL client settings for {@code user} on a secured cluster (see {@link #createUser}). A fresh mutable map. */
    public Map<String, Object> clientProperties(String user, String password) {
        requireSecured();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, SASL_MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, TlsMaterial.STORE_TYPE);
        return p;
    }

    /** The JAAS line of a SCRAM login (what {@code sasl.jaas.config} takes). */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** An admin client of the cluster's administrator, shared (do not close it). */
    public synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the cluster is closed");
        }
        if (admin == null) {
            Map<String, Object> props = clientProperties();
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-cluster-admin");
            // A request to a paused node is never answered: give up on it soon and ask another node.
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            admin = Admin.create(props);
        }
        return admin;
    }

    // ------------------------------------------------------------------------------------------
    // Topics, leaders, coordinators
    // ------------------------------------------------------------------------------------------

    /**
     * Creates a topic with the cluster's default replication (3 on three nodes) and waits until each partition has a
     * leader taking writes. A topic that exists already is left as it is.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopic(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs));
    }

    /**
     * Creates a topic with its replicas placed by hand (partition to node ids, the first one the preferred leader), e.g.
     * to lead a partition from a node that is not the active controller.
     */
    public void createTopic(String name, Map<Integer, List<Integer>> replicasByPartition, Map<String, String> configs) {
        createTopic(new NewTopic(name, replicasByPartition).configs(configs));
    }

    private void createTopic(NewTopic topic) {
        String name = topic.name();
        try {
            admin().createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EmbeddedKafkaException("Could not create topic " + name + ": " + KafkaNodeSupport.describe(e), e);
            }
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Creating topic " + name + " did not finish within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while creating topic " + name, e);
        }
        awaitWritable(Set.of(name), Duration.ofSeconds(60));
    }

    /** The description of each partition of {@code topic}: leader, replicas, in-sync replicas. */
    public TopicDescription describe(String topic) {
        return call("describe topic " + topic, Duration.ofSeconds(30),
                () -> admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic));
    }

    /** The node ids of the in-sync replicas of a partition, as the controller knows them now. */
    public List<Integer> isrOf(TopicPartition tp) {
        return partitionInfo(tp).isr().stream().map(Node::id).sorted().toList();
    }

    /** The node leading a partition now; waits (up to 60 s) while it has none. */
    public KafkaNode leaderOf(TopicPartition tp) {
        return awaitLeader(tp, leader -> true, "a leader", Duration.ofSeconds(60));
    }

    /** Waits until a partition is led by a node other than {@code previous} (after {@code previous} is killed or paused). */
    public KafkaNode awaitLeaderOtherThan(TopicPartition tp, KafkaNode previous, Duration timeout) {
        return awaitLeader(tp, leader -> leader.id != previous.id, "a leader other than node " + previous.id, timeout);
    }

    /** The node that is the active KRaft controller now; waits (up to 60 s) while the quorum has no leader. */
    public KafkaNode activeController() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "not asked yet";
        while (System.nanoTime() < deadline) {
            try {
                int leader = admin().describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
                if (leader >= 1 && leader <= nodes.size()) {
                    return node(leader);
                }
                last = "no leader (" + leader + ")";
            } catch (ExecutionException | TimeoutException e) {
                last = "the cluster did not answer: " + KafkaNodeSupport.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while asking for the active controller", e);
            }
            sleep(200);
        }
        throw new EmbeddedKafkaException("The controller quorum has no leader after 60 s (" + last + ")");
    }

    /** The partition of {@code __transaction_state} that holds {@code transactionalId} (Kafka's own hashing). */
    public static int transactionStatePartitionOf(String transactionalId) {
        return Utils.abs(transactionalId.hashCode()) % COORDINATOR_PARTITIONS;
    }

    /** The node that is the transaction coordinator of {@code transactionalId}: the leader of its state partition. */
    public KafkaNode transactionCoordinatorOf(String transactionalId) {
        return transactionCoordinatorOf(transactionStatePartitionOf(transactionalId));
    }

    /** The leader of the partition {@code partition} of {@code __transaction_state}. */
    public KafkaNode transactionCoordinatorOf(int partition) {
        return leaderOf(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, partition));
    }

    /** As {@link #awaitHealthy(Duration)}, waiting up to two minutes. */
    public void awaitHealthy() {
        awaitHealthy(Duration.ofMinutes(2));
    }

    /**
     * Waits until the cluster is whole again: every node running (not paused) and registered, every partition of every
     * topic (internal ones included) with a leader and all its replicas in sync.
     *
     * @throws EmbeddedKafkaException at once if a node is stopped or paused, or after {@code timeout} naming the nodes
     *                                not registered and the partitions not fully replicated
     */
    public void awaitHealthy(Duration timeout) {
        List<Integer> down = nodes.stream().filter(n -> !n.isRunning() || n.isPaused()).map(n -> n.id).toList();
        if (!down.isEmpty()) {
            throw new EmbeddedKafkaException("The cluster cannot become healthy: node(s) " + down + " are stopped or paused");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "nothing asked yet";
        while (System.nanoTime() < deadline) {
            try {
                missing = unhealthyParts();
                if (missing.isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                missing = "the cluster did not answer: " + KafkaNodeSupport.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for the cluster to be healthy", e);
            }
            sleep(250);
        }
        throw new EmbeddedKafkaException("The Kafka cluster is not healthy after " + timeout.toSeconds() + " s: " + missing);
    }

    /** What keeps the cluster from being healthy now, or "" when nothing does. */
    private String unhealthyParts() throws ExecutionException, TimeoutException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Set<Integer> registered = admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                .map(Node::id).collect(Collectors.toSet());
        List<Integer> absent = nodes.stream().map(n -> n.id).filter(id -> !registered.contains(id)).toList();
        if (!absent.isEmpty()) {
            problems.add("node(s) " + absent + " not registered (live brokers: " + new TreeMap<>(
                    registered.stream().collect(Collectors.toMap(id -> id, id -> ""))).keySet() + ")");
        }
        Set<String> topics = admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        List<String> underReplicated = new ArrayList<>();
        for (TopicDescription d : admin().describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty() || p.isr().size() < p.replicas().size()) {
                    underReplicated.add(d.name() + "-" + p.partition() + " (leader " + (p.leader() == null || p.leader().isEmpty()
                            ? "none" : p.leader().id()) + ", isr " + ids(p.isr()) + " of " + ids(p.replicas()) + ")");
                }
            }
        }
        if (!underReplicated.isEmpty()) {
            problems.add(underReplicated.size() + " partition(s) not fully in sync, e.g. "
                    + String.join(", ", underReplicated.subList(0, Math.min(5, underReplicated.size()))));
        }
        return String.join("; ", problems);
    }

    // ------------------------------------------------------------------------------------------
    // Security
    // ------------------------------------------------------------------------------------------

    /**
     * Creates (or changes the password of) a SCRAM-SHA-512 user on a secured cluster and waits until every running node
     * accepts its login. What it may do is up to the ACLs ({@code admin().createAcls(...)}): nothing by default.
     */
    public void createUser(String user, String password) {
        requireSecured();
        call("create the SCRAM user " + user, Duration.ofSeconds(30), () -> admin().alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                .all().get(30, TimeUnit.SECONDS));
        for (KafkaNode node : nodes) {
            if (node.isRunning() && !node.isPaused()) {
                awaitLogin(node, user, password, Duration.ofSeconds(30));
            }
        }
    }

    private void awaitLogin(KafkaNode node, String user, String password, Duration timeout) {
        Map<String, Object> props = clientProperties(user, password);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServer());
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Admin client = Admin.create(props)) {
                client.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException) {
                    return; // logged in; what it may do is the ACLs' business
                }
                last = KafkaNodeSupport.describe(e);
            } catch (TimeoutException e) {
                last = "no answer within 10 s";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for the login of " + user, e);
            }
            sleep(200);
        }
        throw new EmbeddedKafkaException("Node " + node.id + " does not accept the login of " + user + " after "
                + timeout.toSeconds() + " s: " + last);
    }

    private void requireSecured() {
        if (!secured) {
            throw new IllegalStateException("this cluster is not secured (KafkaCluster.builder().secured())");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Start-up steps
    // ------------------------------------------------------------------------------------------

    private void prepareDirectories() {
        try {
            if (requestedDir == null) {
                dir = Files.createTempDirectory("kafka-cluster-");
                temporaryDir = true;
            } else {
                dir = Files.createDirectories(requestedDir.toAbsolutePath().normalize());
            }
            Path logs = requestedLogDir == null ? null : Files.createDirectories(requestedLogDir.toAbsolutePath().normalize());
            for (int id = 1; id <= size; id++) {
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + id));
                nodes.add(new KafkaNode(id, nodeDir, logs == null ? nodeDir.resolve("node.log") : logs.resolve("node-" + id + ".log")));
            }
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create the cluster's directories in " + (dir == null ? requestedDir : dir)
                    + ": " + e.getMessage(), e);
        }
    }

    private Properties loadState() {
        Path file = dir.resolve(STATE_FILE);
        Properties props = loadProperties(file);
        if (Files.exists(file)) {
            int previousSize = Integer.parseInt(props.getProperty("nodes", "-1"));
            if (previousSize != size) {
                throw new EmbeddedKafkaException(dir + " holds a cluster of " + previousSize + " nodes, not " + size);
            }
            if (Boolean.parseBoolean(props.getProperty("secured", "false")) != secured) {
                throw new EmbeddedKafkaException(dir + " holds a " + (secured ? "plain" : "secured") + " cluster");
            }
        }
        return props;
    }

    private void saveState() {
        Properties props = new Properties();
        props.setProperty("cluster.id", clusterId);
        props.setProperty("nodes", Integer.toString(size));
        props.setProperty("secured", Boolean.toString(secured));
        for (KafkaNode n : nodes) {
            props.setProperty("node." + n.id + ".port", Integer.toString(n.port));
            props.setProperty("node." + n.id + ".controller-port", Integer.toString(n.controllerPort));
        }
        if (secured) {
            // Test and developer clusters only: the secrets live beside the data they protect.
            props.setProperty("tls.password", tls.password());
            props.setProperty("admin.password", adminPassword);
        }
        storeProperties(props, dir.resolve(STATE_FILE), "KafkaCluster: ports and identity, kept for every later start on this directory");
    }

    private void prepareSecurity(Properties state) {
        String tlsPassword = state.getProperty("tls.password");
        tls = tlsPassword == null ? TlsMaterial.generate(dir.resolve("tls")) : TlsMaterial.existing(dir.resolve("tls"), tlsPassword);
        tls.keystore("kafka-broker");
        adminPassword = state.getProperty("admin.password", Uuid.randomUuid().toString().replace("-", ""));
    }

    /** The ports of the first start on this directory, else free ones (all different). */
    private void choosePorts(Properties state) {
        Set<Integer> taken = new HashSet<>();
        for (KafkaNode n : nodes) {
            n.port = port(state, "node." + n.id + ".port", taken);
            n.controllerPort = port(state, "node." + n.id + ".controller-port", taken);
        }
    }

    private int port(Properties state, String key, Set<Integer> taken) {
        String previous = state.getProperty(key);
        if (previous != null) {
            int port = Integer.parseInt(previous);
            if (!isPortFree(host, port)) {
                throw new EmbeddedKafkaException("Port " + port + " (" + key + " of this cluster's first start) is in use:"
                        + " is the cluster running already?");
            }
            taken.add(port);
            return port;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort(host, -1);
            if (taken.add(port)) {
                return port;
            }
        }
        throw new EmbeddedKafkaException("Cannot find free ports on " + host);
    }

    private Map<String, String> nodeConfig(KafkaNode node, String voters) {
        Map<String, String> c = new LinkedHashMap<>();
        putCombinedModeNode(c, node.id, secured ? "SASL_SSL" : "PLAINTEXT", host, node.port, node.controllerPort, node.logDirs());
        c.put("controller.quorum.voters", voters);
        // Production settings (docker/docker-compose.yml): no acknowledged write is lost with one node down.
        putReplication(c, Math.min(3, size), Math.min(2, size));
        c.put("unclean.leader.election.enable", "false");
        c.put("auto.create.topics.enable", "false");
        putSmallMachineSettings(c, COORDINATOR_PARTITIONS);
        c.put("log.segment.bytes", Integer.toString(32 * 1024 * 1024));
        // A node that stops heart-beating (killed, paused) is fenced, and its partitions move, after 6 s.
        c.put("broker.heartbeat.interval.ms", "1000");
        c.put("broker.session.timeout.ms", "6000");
        if (secured) {
            Path keystore = tls.keystore("kafka-broker");
            c.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
            c.put("sasl.enabled.mechanisms", SASL_MECHANISM);
            c.put("sasl.mechanism.inter.broker.protocol", SASL_MECHANISM);
            c.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scramJaas(ADMIN_USER, adminPassword));
            c.put("ssl.keystore.location", keystore.toString());
            c.put("ssl.keystore.password", tls.password());
            c.put("ssl.key.password", tls.password());
            c.put("ssl.keystore.type", TlsMaterial.STORE_TYPE);
            c.put("ssl.truststore.location", tls.truststore().toString());
            c.put("ssl.truststore.password", tls.password());
            c.put("ssl.truststore.type", TlsMaterial.STORE_TYPE);
            // Controllers talk to each other and to brokers with mutual TLS: SCRAM is not offered on KRaft controllers.
            c.put("listener.name.controller.ssl.client.auth", "required");
            c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            c.put("allow.everyone.if.no.acl.found", "false");
            c.put("super.users", "User:" + ADMIN_USER + ";" + NODE_PRINCIPAL);
        } else {
            c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        c.putAll(brokerProperties);
        return c;
    }

    /** Formats a node's storage as {@code kafka-storage.sh format} would, with the super user's SCRAM credential. */
    private void format(KafkaNode node) {
        List<String> args = new ArrayList<>(List.of("format", "--config", node.configFile().toString(),
                "--cluster-id", clusterId, "--ignore-formatted"));
        if (secured) {
            args.add("--add-scram");
            args.add(SASL_MECHANISM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]");
        }
        formatStorage(args, "the storage of node " + node.id);
    }

    private void awaitReadinessProduce(Duration timeout) {
        NewTopic topic = new NewTopic(READINESS_TOPIC, Optional.of(1), Optional.of((short) size))
                .configs(Map.of("retention.ms", "60000", "segment.bytes", Integer.toString(1024 * 1024)));
        call("create " + READINESS_TOPIC, timeout, () -> {
            try {
                return admin().createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return null;
                }
                throw e;
            }
        });
        awaitWritable(Set.of(READINESS_TOPIC), timeout);
        Map<String, Object> props = readinessProducerProperties(clientProperties(), "kafka-cluster-readiness", timeout);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            call("a produce with acks=all to " + READINESS_TOPIC, timeout, () -> producer.send(new ProducerRecord<>(READINESS_TOPIC,
                    ("ready " + Instant.now()).getBytes(StandardCharsets.UTF_8))).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void awaitWritable(Collection<String> topics, Duration timeout) {
        try {
            io.exportcounter.contract.topics.MissingTopics.awaitWritable(admin(), topics, timeout);
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("The partitions of " + topics + " have no leader taking writes after "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for the leaders of " + topics, e);
        }
    }

    private TopicPartitionInfo partitionInfo(TopicPartition tp) {
        TopicDescription d = describe(tp.topic());
        return d.partitions().stream().filter(p -> p.partition() == tp.partition()).findFirst()
                .orElseThrow(() -> new EmbeddedKafkaException("Topic " + tp.topic() + " has no partition " + tp.partition()));
    }

    private KafkaNode awaitLeader(TopicPartition tp, java.util.function.Predicate<KafkaNode> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not asked yet";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin().describeTopics(List.of(tp.topic())).allTopicNames().get(10, TimeUnit.SECONDS).get(tp.topic());
                TopicPartitionInfo p = d.partitions().stream().filter(i -> i.partition() == tp.partition()).findFirst()
                        .orElseThrow(() -> new EmbeddedKafkaException("Topic " + tp.topic() + " has no partition " + tp.partition()));
                if (p.leader() != null && !p.leader().isEmpty()) {
                    KafkaNode leader = node(p.leader().id());
                    if (wanted.test(leader)) {
                        return leader;
                    }
                    last = "led by node " + leader.id + ", isr " + ids(p.isr());
                } else {
                    last = "no leader, isr " + ids(p.isr());
                }
            } catch (ExecutionException | TimeoutException e) {
                last = "the cluster did not answer: " + KafkaNodeSupport.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for the leader of " + tp, e);
            }
            sleep(200);
        }
        throw new EmbeddedKafkaException(tp + " has not " + what + " after " + timeout.toSeconds() + " s (" + last + ")");
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Call<T> {
        T get() throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static <T> T call(String what, Duration timeout, Call<T> call) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException("Could not " + what + ": " + KafkaNodeSupport.describe(e), e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Could not " + what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while trying to " + what, e);
        }
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).sorted().toList().toString();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted", e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nodes
    // ------------------------------------------------------------------------------------------

    /**
     * One node of the cluster: a broker+controller in its own JVM. Its data directory, ports and configuration stay the
     * same across {@link #kill()}, {@link #stop()} and {@link #start()}.
     */
    public final class KafkaNode {
        private final int id;
        private final Path nodeDir;
        private final Path logFile;
        private int port;
        private int controllerPort;
        private Process process;
        private boolean paused;

        private KafkaNode(int id, Path nodeDir, Path logFile) {
            this.id = id;
            this.nodeDir = nodeDir;
            this.logFile = logFile;
        }

        /** The node id (1 to the cluster's size). */
        public int id() {
            return id;
        }

        /** {@code <host>:<port>} of this node's client listener, e.g. {@code localhost:41001}. */
        public String bootstrapServer() {
            return host + ":" + port;
        }

        public int port() {
            return port;
        }

        public int controllerPort() {
            return controllerPort;
        }

        /** The node's directory: its configuration and, in {@code kafka-logs}, its data. */
        public Path dataDir() {
            return nodeDir;
        }

        /** Where the node's JVM writes its output (appended across starts). */
        public Path logFile() {
            return logFile;
        }

        /** The process id while the node's JVM runs. */
        public synchronized OptionalLong pid() {
            return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }

        /** Whether its JVM is alive (a paused one is). */
        public synchronized boolean isRunning() {
            return process != null && process.isAlive();
        }

        public synchronized boolean isPaused() {
            return paused && isRunning();
        }

        /**
         * Starts the node's JVM on its data directory and ports, and waits (up to the cluster's start timeout) until the
         * node has caught up with the metadata and been let back in by the controller. Does nothing if it runs.
         */
        public synchronized void start() {
            if (isRunning()) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("cannot start node " + id + ": the cluster is closed");
            }
            long t0 = System.nanoTime();
            launch();
            awaitReady(System.nanoTime() + startTimeout.toNanos());
            LOG.info("Kafka node {} started (pid {}) in {} ms", id, process.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }

        /** SIGKILL: the node's JVM ends at once, without a controlled shutdown or a flush. Waits until it has ended. */
        public synchronized void kill() {
            if (!isRunning()) {
                return;
            }
            long pid = process.pid();
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30), "SIGKILL");
            LOG.info("Kafka node {} killed (SIGKILL, pid {})", id, pid);
        }

        /** SIGTERM: a controlled shutdown (leadership handed over first); SIGKILL if it has not ended within 60 s. */
        public synchronized void stop() {
            if (!isRunning()) {
                return;
            }
            if (paused) {
                resume();
            }
            long t0 = System.nanoTime();
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    LOG.warn("Kafka node {} did not stop within 60 s of SIGTERM; killing it", id);
                    kill();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while stopping node " + id, e);
            }
            LOG.info("Kafka node {} stopped (SIGTERM) in {} ms", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }

        /** SIGSTOP: the node's JVM is frozen (no heartbeat, no answer) until {@link #resume()}. */
        public synchronized void pause() {
            requireRunning("pause");
            signal("STOP");
            paused = true;
            LOG.info("Kafka node {} paused (SIGSTOP, pid {})", id, process.pid());
        }

        /** SIGCONT after {@link #pause()}. */
        public synchronized void resume() {
            requireRunning("resume");
            signal("CONT");
            paused = false;
            LOG.info("Kafka node {} resumed (SIGCONT, pid {})", id, process.pid());
        }

        /** A graceful {@link #stop()} (if running), then {@link #start()}. */
        public synchronized void restart() {
            stop();
            start();
        }

        @Override
        public String toString() {
            return "node " + id + " (" + bootstrapServer() + ")";
        }

        private Path configFile() {
            return nodeDir.resolve(CONFIG_FILE);
        }

        private Path logDirs() {
            return nodeDir.resolve("kafka-logs");
        }

        private void writeConfig(Map<String, String> config) {
            Properties props = new Properties();
            props.putAll(config);
            storeProperties(props, configFile(), "Kafka node " + id + " of a KafkaCluster (written at each start of the cluster)");
        }

        private synchronized void launch() {
            Path ready = nodeDir.resolve(READY_FILE);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String logback = System.getProperty("logback.configurationFile");
            if (logback != null) {
                cmd.add("-Dlogback.configurationFile=" + logback);
            }
            cmd.add("-Dlog.level.kafka=INFO");
            cmd.add("-D" + KafkaNodeMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
            cmd.add("-D" + READY_FILE_PROPERTY + "=" + ready);
            cmd.addAll(nodeJvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            cmd.add(KafkaNodeMain.class.getName());
            cmd.add(configFile().toString());
            try {
                Files.deleteIfExists(ready);
                Files.writeString(logFile, "==== " + Instant.now() + " starting node " + id + " ====\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                process = new ProcessBuilder(cmd).directory(nodeDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
                paused = false;
            } catch (IOException e) {
                throw new EmbeddedKafkaException("Cannot start the JVM of node " + id + ": " + e.getMessage(), e);
            }
        }

        /** Until the node's JVM says its server has started (which it does once the controller has unfenced it). */
        private void awaitReady(long deadline) {
            Path ready = nodeDir.resolve(READY_FILE);
            String pid = Long.toString(process.pid());
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new EmbeddedKafkaException("Kafka node " + id + " exited (code " + process.exitValue()
                            + ") while starting; the end of " + logFile + ":\n" + tail(logFile, 30));
                }
                try {
                    if (Files.exists(ready) && Files.readString(ready).trim().equals(pid)) {
                        return;
                    }
                } catch (IOException e) {
                    // being written
                }
                sleep(100);
            }
            throw new EmbeddedKafkaException("Kafka node " + id + " has not started (caught up with the metadata and been"
                    + " unfenced by the controller) within " + startTimeout.toSeconds() + " s; see " + logFile);
        }

        private void awaitExit(Duration timeout, String what) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new EmbeddedKafkaException("Kafka node " + id + " (pid " + process.pid() + ") is still alive "
                            + timeout.toSeconds() + " s after " + what);
                }
                paused = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for node " + id + " to end", e);
            }
        }

        private void requireRunning(String action) {
            if (!isRunning()) {
                throw new IllegalStateException("cannot " + action + " node " + id + ": it is not running");
            }
        }

        private void signal(String name) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new EmbeddedKafkaException("kill -" + name + " " + process.pid() + " failed: " + output);
                }
            } catch (IOException e) {
                throw new EmbeddedKafkaException("Cannot run kill -" + name + " (needs a POSIX 'kill'): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while signalling node " + id, e);
            }
        }

        private synchronized void terminate() {
            if (isRunning()) {
                if (paused) {
                    resume();
                }
                process.destroy();
            }
        }

        private synchronized void awaitTerminated(long deadline) {
            if (process == null) {
                return;
            }
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("Kafka node {} did not stop in time after SIGTERM; killing it", id);
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while stopping node " + id, e);
            }
        }

        /** For close and the shutdown hook: SIGKILL without waiting long nor throwing. */
        private void destroy() {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Builder
    // ------------------------------------------------------------------------------------------

    /** Builds a {@link KafkaCluster}; nothing starts until {@link KafkaCluster#start()}. */
    public static final class Builder {
        private int nodes = 3;
        private String host = HOST;
        private Path dataDir;
        private Path logDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        // Small and quick: three of these share a small machine with the tests.
        private final List<String> nodeJvmOptions = new ArrayList<>(List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k"));
        private Duration startTimeout = Duration.ofSeconds(180);
        private boolean secured;

        private Builder() {
        }

        /** Number of nodes (default 3), each a broker and a controller. */
        public Builder nodes(int nodes) {
            this.nodes = requireBetween(nodes, 1, 9, "nodes");
            return this;
        }

        /**
         * The host name or IPv4 address of this machine that every node's listeners (client and controller) bind to
         * and the client listener advertises; default {@value KafkaCluster#HOST}. E.g. the host side of a veth pair
         * ({@code 10.77.0.1}), so that a process in another network namespace reaches the brokers; this machine's own
         * clients reach them at that address too.
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '/' || c == ':')) {
                throw new IllegalArgumentException("host must be a host name or an IPv4 address of this machine: '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** Where the nodes keep their data (kept on close); {@code null} (the default): a temporary directory, deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Where the nodes' logs go ({@code node-<id>.log}); default: {@code node-<id>/node.log} in the data directory. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** Any broker setting, over the cluster's. */
        public Builder brokerProperty(String key, String value) {
            putBrokerProperty(brokerProperties, key, value);
            return this;
        }

        /** A JVM option of every node, after the defaults (a later {@code -Xmx} or {@code -D} wins). */
        public Builder nodeJvmOption(String option) {
            nodeJvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** How long starting the cluster, or one node, may take (default 180 s: three JVMs on two cores). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = requirePositive(timeout);
            return this;
        }

        /**
         * TLS on every listener, SASL/SCRAM-SHA-512 for clients and between brokers, mutual TLS between controllers, and
         * ACLs ({@code StandardAuthorizer}, nothing allowed without an ACL; {@code admin} and the nodes are super
         * users). The CA and keystores are made in the data directory.
         */
        public Builder secured() {
            this.secured = true;
            return this;
        }

        public KafkaCluster build() {
            return new KafkaCluster(this);
        }
    }
}
