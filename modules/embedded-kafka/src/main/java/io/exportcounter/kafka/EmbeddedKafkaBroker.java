package io.exportcounter.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

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
    public static final String HOST = "localhost";
    /** Name of the one-partition topic a produce is sent to, to prove the broker is ready. */
    public static final String READINESS_TOPIC = "__embedded_kafka_readiness";

    static final String STATE_FILE = "embedded-kafka.properties";
    static final String CONFIG_FILE = "server.properties";
    static final String LOG_DIR = "kafka-logs";
    static final String LOCK_FILE = "embedded-kafka.lock";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

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
        Properties props = new Properties();
        Path file = dataDir.resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return props;
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
        String logDir = dataDir.resolve(LOG_DIR).toString();
        // Identity and listeners: KRaft combined mode, one node, dynamic (KIP-853) quorum.
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(NODE_ID));
        c.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        c.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
        c.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("inter.broker.listener.name", BROKER_LISTENER);
        c.put("controller.listener.names", CONTROLLER_LISTENER);
        c.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        c.put("log.dirs", logDir);
        c.put("metadata.log.dir", logDir);
        // One node: exactly-once and consumer groups need replication factors and ISR of 1.
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "5");
        c.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "5");
        c.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("num.partitions", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // Light on a small machine.
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("background.threads", "2");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.put("num.replica.fetchers", "1");
        c.put("log.cleaner.threads", "1");
        c.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
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
        String[] args = {"format", "--config", configFile.toString(), "--cluster-id", clusterId, "--standalone", "--ignore-formatted"};
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args, out);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("Could not format the Kafka storage in " + dataDir + ": " + describe(e)
                    + outputSuffix(output), e);
        }
        if (rc != 0) {
            throw new EmbeddedKafkaException("Formatting the Kafka storage in " + dataDir + " failed (exit code " + rc + ")"
                    + outputSuffix(output));
        }
        LOG.debug("Formatted {} (cluster id {}): {}", dataDir, clusterId, output.toString(StandardCharsets.UTF_8).trim());
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
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness-" + port);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // one record: no producer id round trip
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) startTimeout.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) startTimeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(startTimeout.toMillis(), 30_000));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
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

    private static void storeProperties(Properties props, Path file, String comment) {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static int intProperty(Properties props, String key) {
        try {
            return Integer.parseInt(props.getProperty(key, "-1").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free now on {@link #HOST}, different from {@code except}. */
    static int freePort(int except) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int candidate = socket.getLocalPort();
                if (candidate != except) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
            }
        }
        throw new EmbeddedKafkaException("Cannot find a free port on " + HOST);
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null && messages.size() < 3; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (messages.stream().noneMatch(x -> x.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }

    private static String outputSuffix(ByteArrayOutputStream output) {
        String text = output.toString(StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary data directory {}: {}", dir, e.toString());
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
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Where the broker keeps its data; {@code null} (the default) is a temporary directory deleted on stop. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Any broker setting ({@code server.properties} key), applied over the embedded defaults. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
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
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
