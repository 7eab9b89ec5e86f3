package io.exportcounter.kafka;

import static io.exportcounter.kafka.KafkaNodeSupport.CONTROLLER_LISTENER;
import static io.exportcounter.kafka.KafkaNodeSupport.deleteRecursively;
import static io.exportcounter.kafka.KafkaNodeSupport.describe;
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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.exportcounter.contract.topics.MissingTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real, single-node Apache Kafka broker (KRaft combined mode: broker and controller in one
 * node) running inside the current JVM, built from the Maven artifacts alone.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
 *     kafka.createTopic("declarations", 3, Map.of());
 *     String bootstrap = kafka.bootstrapServers();   // "localhost:41234"
 * }
 * }</pre>
 *
 * <p>Storage is formatted (as {@code kafka-storage.sh format --standalone} would) only the first
 * time a data directory is used; a restart on the same directory keeps its cluster id, node id,
 * topics, committed offsets and records. The settings make exactly-once work on one node
 * (replication factors and min ISR of 1) and keep the broker light for small machines.
 *
 * <p>Instances are thread-safe. {@link #start()} and {@link #stop()} may be called repeatedly.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The node id of the single broker/controller. */
    public static final int NODE_ID = 1;
    /** The host name the listeners bind to and advertise. */
    public static final String HOST = KafkaNodeSupport.HOST;
    /** Name of the one-partition topic a produce is sent to, to prove the broker is ready. */
    public static final String READINESS_TOPIC = "__embedded_kafka_readiness";

    static final String STATE_FILE = "embedded-kafka.properties";
    static final String CONFIG_FILE = "server.properties";
    static final String LOG_DIR = "kafka-logs";
    static final String LOCK_FILE = "embedded-kafka.lock";
    private static final String BROKER_LISTENER = "PLAINTEXT";

    private final int requestedPort;
    private final Path requestedDataDir;
    private final Map<String, String> brokerProperties;
    private final Duration startTimeout;

    private enum State { NEW, RUNNING, STOPPED }

    private State state = State.NEW;
    private Path dataDir;
    private boolean temporaryDataDir;
    private int port = -1;
    private int controllerPort = -1;
    private String clusterId;
    private KafkaRaftServer server;
    private Admin admin;
    private FileChannel lockChannel;
    private FileLock dataDirLock;

    private EmbeddedKafkaBroker(Builder builder) {
        this.requestedPort = builder.port;
        this.requestedDataDir = builder.dataDir;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------
    // Life cycle
    // ------------------------------------------------------------------------------------------

    /**
     * Formats the storage if needed, starts the broker and blocks until it has accepted a
     * produce request and leads every partition it holds (after a restart: the ones of the
     * previous run too). Does nothing if already running.
     *
     * @return this broker
     * @throws EmbeddedKafkaException if the broker cannot start (port in use, data directory
     *                                locked by another broker, timeout, ...); nothing is left running
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state == State.RUNNING) {
            return this;
        }
        long t0 = System.nanoTime();
        try {
            prepareDataDir();
            lockDataDir();
            Properties stored = loadState();
            choosePorts(stored);
            Map<String, String> config = brokerConfig();
            Path logDir = dataDir.resolve(LOG_DIR);
            if (Files.exists(logDir.resolve("meta.properties"))) {
                clusterId = readClusterId(logDir);
                LOG.debug("Data directory {} is already formatted (cluster id {})", dataDir, clusterId);
            } else {
                clusterId = Optional.ofNullable(stored.getProperty("cluster.id")).orElseGet(() -> Uuid.randomUuid().toString());
                format(config);
            }
            saveState();
            server = startServer(config);
            state = State.RUNNING;
            awaitProduceAccepted();
            // After a restart: every partition it holds, not only the readiness topic's.
            awaitLeaders(null, startTimeout);
            LOG.info("Kafka broker {} ready at {} in {} ms (data: {}{})", NODE_ID, bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dataDir, temporaryDataDir ? ", temporary" : "");
            return this;
        } catch (EmbeddedKafkaException e) {
            stopQuietly();
            throw e;
        } catch (RuntimeException e) {
            stopQuietly();
            throw new EmbeddedKafkaException("Embedded Kafka broker failed to start: " + describe(e), e);
        } catch (Error e) {
            stopQuietly();
            throw e;
        }
    }

    /** Stops the broker (controlled shutdown) and deletes a temporary data directory. Idempotent. */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            return;
        }
        long t0 = System.nanoTime();
        shutdown();
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    private void stopQuietly() {
        try {
            shutdown();
        } catch (RuntimeException e) {
            LOG.debug("Error while cleaning up after a failed start", e);
        }
    }

    private void shutdown() {
        state = State.STOPPED;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                server = null;
            }
        }
        releaseDataDirLock();
        if (temporaryDataDir && dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Accessors
    // ------------------------------------------------------------------------------------------

    /** The bootstrap address for clients, e.g. {@code localhost:9092}. Valid once started. */
    public synchronized String bootstrapServers() {
        requireStartedOnce();
        return HOST + ":" + port;
    }

    /** The client (PLAINTEXT) listener port. Valid once started. */
    public synchronized int port() {
        requireStartedOnce();
        return port;
    }

    /** The controller (KRaft) listener port. Valid once started. */
    public synchronized int controllerPort() {
        requireStartedOnce();
        return controllerPort;
    }

    /** The data directory (a temporary one if none was given). Valid once started. */
    public synchronized Path dataDir() {
        requireStartedOnce();
        return dataDir;
    }

    /** The cluster id, kept across restarts on the same data directory. Valid once started. */
    public synchronized String clusterId() {
        requireStartedOnce();
        return clusterId;
    }

    /** Minimal client properties for this broker ({@code bootstrap.servers}), a fresh mutable map. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    // ------------------------------------------------------------------------------------------
    // Admin helpers
    // ------------------------------------------------------------------------------------------

    /**
     * Creates a topic (replication factor 1) and waits until every partition has a leader.
     * Idempotent: if the topic exists already, nothing is changed.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty())
                .configs(configs == null ? Map.of() : configs);
        try {
            admin().createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.debug("Created topic {} ({} partitions, configs {})", name, partitions, configs);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EmbeddedKafkaException("Could not create topic " + name + ": " + describe(e.getCause()), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Timed out creating topic " + name, e);
        }
        awaitLeaders(Set.of(name), Duration.ofSeconds(30));
    }

    /** Same as {@code createTopic(name, partitions, Map.of())}. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Names of the topics, internal ones excluded. */
    public Set<String> listTopics() {
        try {
            return admin().listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException("Could not list topics: " + describe(e), e);
        }
    }

    /**
     * Waits until the broker acts as the leader of every partition of {@code topics} (all topics,
     * internal ones included, when null), as {@link MissingTopics#awaitWritable} tells: an idempotent
     * producer whose first batch to a partition is refused while a later in-flight batch is accepted (a
     * broker takes any first sequence number from a producer it has no state for) fails for good with
     * OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    private void awaitLeaders(Set<String> topics, Duration timeout) {
        try {
            Set<String> names = topics != null ? topics
                    : admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            MissingTopics.awaitWritable(admin(), names, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for the partition leaders of " + describeTopics(topics), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException("The partitions of " + describeTopics(topics) + " have no acting leader after "
                    + timeout.toSeconds() + " s", e);
        }
    }

    private static String describeTopics(Set<String> topics) {
        return topics == null ? "all topics" : "topic(s) " + String.join(", ", topics);
    }

    private synchronized Admin admin() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded Kafka broker is not running");
        }
        if (admin == null) {
            Map<String, Object> props = clientProperties();
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin-" + port);
            admin = Admin.create(props);
        }
        return admin;
    }

    // ------------------------------------------------------------------------------------------
    // Start-up steps
    // ------------------------------------------------------------------------------------------

    private void prepareDataDir() {
        try {
            if (requestedDataDir == null) {
                dataDir = Files.createTempDirectory("embedded-kafka-");
                temporaryDataDir = true;
            } else {
                dataDir = Files.createDirectories(requestedDataDir.toAbsolutePath().normalize());
                temporaryDataDir = false;
            }
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create the data directory " + requestedDataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * One broker per data directory, in this JVM or another: Kafka locks its log directory only
     * once its broker starts, after the controller has opened the metadata log.
     */
    private void lockDataDir() {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                dataDirLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                dataDirLock = null;
            }
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot lock the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        if (dataDirLock == null) {
            closeQuietly(lockChannel);
            lockChannel = null;
            throw new EmbeddedKafkaException("The data directory " + dataDir
                    + " is in use by another Kafka broker (it holds the lock on " + lockFile + ")");
        }
    }

    private void releaseDataDirLock() {
        if (lockChannel != null) {
            closeQuietly(lockChannel); // releases the lock
            lockChannel = null;
            dataDirLock = null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Cannot close {}", channel, e);
        }
    }

    private Properties loadState() {
        return loadProperties(dataDir.resolve(STATE_FILE));
    }

    private void saveState() {
        Properties props = new Properties();
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(NODE_ID));
        props.setProperty("port", Integer.toString(port));
        props.setProperty("controller.port", Integer.toString(controllerPort));
        storeProperties(props, dataDir.resolve(STATE_FILE), "Embedded Kafka broker state: ports are reused on restart when free");
    }

    /**
     * The client port: the requested one (must be free), else the one of the previous run on this
     * data directory if it is free, else a free one. The controller port: the previous one if free,
     * else a free one (it is part of the formatted KRaft voter set, so keeping it matters).
     */
    private void choosePorts(Properties stored) {
        int previousPort = intProperty(stored, "port");
        int previousControllerPort = intProperty(stored, "controller.port");
        if (requestedPort > 0) {
            if (!isPortFree(requestedPort)) {
                throw new EmbeddedKafkaException("Port " + requestedPort + " is already in use on " + HOST
                        + " (is another Kafka broker running?). Choose another port, or 0 for a free one.");
            }
            port = requestedPort;
        } else if (previousPort > 0 && isPortFree(previousPort)) {
            port = previousPort;
        } else {
            port = freePort(-1);
        }
        if (previousControllerPort > 0 && previousControllerPort != port && isPortFree(previousControllerPort)) {
            controllerPort = previousControllerPort;
        } else {
            if (previousControllerPort > 0) {
                LOG.warn("Controller port {} of the previous run is not free; using another one", previousControllerPort);
            }
            controllerPort = freePort(port);
        }
    }

    private Map<String, String> brokerConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        Path logDir = dataDir.resolve(LOG_DIR);
        // KRaft combined mode, one node, dynamic (KIP-853) quorum.
        putCombinedModeNode(c, NODE_ID, BROKER_LISTENER, HOST, port, controllerPort, logDir);
        c.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        c.put("metadata.log.dir", logDir.toString());
        // One node: exactly-once and consumer groups need replication factors and ISR of 1.
        putReplication(c, 1, 1);
        putSmallMachineSettings(c, 5);
        c.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        // Fast start and stop: the single node needs no waiting for peers.
        c.put("broker.heartbeat.interval.ms", "500");
        c.put("broker.session.timeout.ms", "9000");
        c.putAll(brokerProperties);
        return c;
    }

    /** Formats the storage like {@code kafka-storage.sh format --standalone}. */
    private void format(Map<String, String> config) {
        Path configFile = dataDir.resolve(CONFIG_FILE);
        Properties props = new Properties();
        props.putAll(config);
        storeProperties(props, configFile, "Generated by EmbeddedKafkaBroker to format the storage; not read on start");
        String output = formatStorage(List.of("format", "--config", configFile.toString(), "--cluster-id", clusterId,
                "--standalone", "--ignore-formatted"), "the Kafka storage in " + dataDir);
        LOG.debug("Formatted {} (cluster id {}): {}", dataDir, clusterId, output);
    }

    private KafkaRaftServer startServer(Map<String, String> config) {
        Properties props = new Properties();
        props.putAll(config);
        KafkaConfig kafkaConfig = KafkaConfig.fromProps(props, false);
        KafkaRaftServer raftServer = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        server = raftServer; // so that a failed or timed-out start-up is shut down
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "embedded-kafka-startup-" + port);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> startup = starter.submit(raftServer::startup);
            startup.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return raftServer;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EmbeddedKafkaException("Kafka broker failed to start on " + HOST + ":" + port + ": " + describe(cause), cause);
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Kafka broker did not start within " + startTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while starting the Kafka broker", e);
        } finally {
            starter.shutdownNow();
        }
    }

    /** Really produces a record (acks=all) to a one-partition topic: proves the broker serves clients. */
    private void awaitProduceAccepted() {
        createTopic(READINESS_TOPIC, 1, Map.of("retention.ms", "60000", "segment.bytes", Integer.toString(1024 * 1024)));
        Map<String, Object> props = readinessProducerProperties(clientProperties(), "embedded-kafka-readiness-" + port,
                startTimeout);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = ("ready " + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(READINESS_TOPIC, value)).get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for the broker to accept a produce", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException("The Kafka broker did not accept a produce request: " + describe(e), e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    private void requireStartedOnce() {
        if (port < 0) {
            throw new IllegalStateException("The embedded Kafka broker has not been started");
        }
    }

    private static String readClusterId(Path logDir) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve("meta.properties"))) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + logDir.resolve("meta.properties"), e);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new EmbeddedKafkaException(logDir.resolve("meta.properties") + " has no cluster.id");
        }
        return id;
    }

    private static int intProperty(Properties props, String key) {
        try {
            return Integer.parseInt(props.getProperty(key, "-1").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Builder
    // ------------------------------------------------------------------------------------------

    /** Builds an {@link EmbeddedKafkaBroker}; nothing starts until {@link EmbeddedKafkaBroker#start()}. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /** The client listener port; 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = requireBetween(port, 0, 65535, "port");
            return this;
        }

        /** Where the broker keeps its data; {@code null} (the default) is a temporary directory deleted on stop. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Any broker setting ({@code server.properties} key), applied over the embedded defaults. */
        public Builder brokerProperty(String key, String value) {
            putBrokerProperty(brokerProperties, key, value);
            return this;
        }

        /** Several broker settings, see {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Partitions of auto-created topics ({@code num.partitions}, default 1). */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
            }
            return brokerProperty("num.partitions", Integer.toString(partitions));
        }

        /** How long {@link EmbeddedKafkaBroker#start()} may take (default 120 s: generous for a busy 2-core machine). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = requirePositive(timeout);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
